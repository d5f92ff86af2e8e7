import { Agent, ProxyAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { getDispatcher } from './dispatcher.js';

describe('getDispatcher', () => {
  it("uses the caller's dispatcher over a proxy", () => {
    const own = new Agent();
    expect(getDispatcher({ dispatcher: own, proxy: 'http://127.0.0.1:1' })).toBe(own);
  });

  it('shares one ProxyAgent per proxy URL, and one Agent without a proxy', () => {
    const a = getDispatcher({ proxy: 'http://127.0.0.1:1' });
    expect(a).toBeInstanceOf(ProxyAgent);
    expect(getDispatcher({ proxy: 'http://127.0.0.1:1' })).toBe(a);
    expect(getDispatcher({ proxy: 'http://127.0.0.1:2' })).not.toBe(a);
    const plain = getDispatcher();
    expect(plain).toBeInstanceOf(Agent);
    expect(plain).not.toBeInstanceOf(ProxyAgent);
    expect(getDispatcher({})).toBe(plain);
  });
});
