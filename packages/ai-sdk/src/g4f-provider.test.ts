import { NoSuchModelError } from '@ai-sdk/provider';
import { Acytoo } from '@g4f/acytoo';
import { Aura } from '@g4f/aura';
import { IterListProvider } from '@g4f/client';
import { InvalidArgumentError, ModelNotSupportedError } from '@g4f/core';
import { Websim } from '@g4f/websim';
import { describe, expect, it } from 'vitest';
import { createG4F, type G4FProviderSettings } from './g4f-provider.js';

// Never started: these tests only build models, which touches no network.
const websim = new Websim({ baseUrl: 'http://127.0.0.1:9' });
const aura = new Aura({ baseUrl: 'http://127.0.0.1:9' });

describe('createG4F', () => {
  it('gives language models by call and by languageModel, with the id asked for', () => {
    const g4f = createG4F({ provider: websim });
    expect(g4f('gemini-2.5-flash').modelId).toBe('gemini-2.5-flash');
    expect(g4f.languageModel().modelId).toBe('');
    expect(g4f.languageModel().provider).toBe('g4f.chat');
    expect(g4f.specificationVersion).toBe('v3');
  });

  it("refuses a model the provider does not list, keeping g4f's error as cause", () => {
    const g4f = createG4F({ provider: websim });
    try {
      g4f('gpt-9');
      expect.unreachable();
    } catch (error) {
      expect(NoSuchModelError.isInstance(error)).toBe(true);
      expect((error as NoSuchModelError).modelType).toBe('languageModel');
      expect(ModelNotSupportedError.isInstance((error as Error).cause)).toBe(true);
    }
  });

  it('routes by model: a model nobody serves is refused, naming what is on offer', () => {
    const g4f = createG4F({ providers: [aura, websim] });
    expect(g4f('gemini-2.5-pro').modelId).toBe('gemini-2.5-pro');
    expect(() => g4f('gpt-9')).toThrow(/On offer: .*openchat_3\.6.*gemini-2\.5-pro/);
  });

  it('takes a fallback provider as the one provider', () => {
    const list = new IterListProvider([new Acytoo({ baseUrl: 'http://127.0.0.1:9' }), aura]);
    const g4f = createG4F({ provider: list });
    expect(g4f().modelId).toBe('');
    expect(g4f.client.health().providers.map((p) => p.name)).toEqual([list.name, 'Acytoo', 'Aura']);
  });

  it('has no embedding models', () => {
    expect(() => createG4F({ provider: aura }).embeddingModel('x')).toThrow(NoSuchModelError);
  });

  it('needs exactly one of provider and providers', () => {
    expect(() => createG4F({} as G4FProviderSettings)).toThrow(InvalidArgumentError);
    expect(() =>
      createG4F({ provider: aura, providers: [aura] } as unknown as G4FProviderSettings),
    ).toThrow('not both');
  });
});
