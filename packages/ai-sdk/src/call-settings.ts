import type { SharedV3Warning } from '@ai-sdk/provider';
import { FallbackProvider } from '@g4f/client';
import type { Provider } from '@g4f/core';

/** The call settings that some g4f providers send upstream and others ignore. */
export interface G4FCallSettings {
  temperature?: number;
  aspectRatio?: string;
  size?: string;
  seed?: number;
}

/** One of {@link G4FCallSettings}. */
export type G4FCallSetting = keyof G4FCallSettings;

/**
 * Which providers send which settings upstream, by g4f name. g4f providers accept any option
 * and ignore what they do not know, and the provider metadata does not list what they send,
 * so this table says it (taken from each provider's options).
 */
export const SETTINGS_SENT: Readonly<Record<string, readonly G4FCallSetting[]>> = {
  Acytoo: ['temperature'],
  Aura: ['temperature'],
  Websim: ['aspectRatio'],
};

/** The plain providers inside `providers`, fallbacks opened up. */
export function leafProviders(providers: readonly Provider[]): Provider[] {
  return providers.flatMap((provider) =>
    provider instanceof FallbackProvider ? leafProviders(provider.providers) : [provider],
  );
}

/** The settings a call sets, and the options to hand the g4f provider for those that some candidate sends. */
export interface SettingsOutcome {
  options: G4FCallSettings;
  warnings: SharedV3Warning[];
}

/**
 * Keeps each set setting that at least one candidate sends, and warns for every candidate
 * that would ignore it: an ignored setting never passes silently.
 */
export function checkSettings(
  candidates: readonly Provider[],
  settings: G4FCallSettings,
  table: Readonly<Record<string, readonly G4FCallSetting[]>>,
): SettingsOutcome {
  const options: Record<string, unknown> = {};
  const warnings: SharedV3Warning[] = [];
  const names = [...new Set(leafProviders(candidates).map((p) => p.name))];
  for (const [setting, value] of Object.entries(settings) as [G4FCallSetting, unknown][]) {
    if (value === undefined) continue;
    const ignoring = names.filter((name) => !table[name]?.includes(setting));
    if (ignoring.length < names.length) options[setting] = value;
    if (ignoring.length === 0) continue;
    warnings.push({
      type: 'unsupported',
      feature: setting,
      details:
        ignoring.length === names.length
          ? `${ignoring.join(', ')} ${ignoring.length === 1 ? 'sends' : 'send'} no ${setting}; it is ignored`
          : `ignored if ${ignoring.join(' or ')} answers`,
    });
  }
  return { options: options as G4FCallSettings, warnings };
}

/** A warning for a setting no g4f provider takes. */
export function unsupportedSetting(feature: string, details?: string): SharedV3Warning {
  return details === undefined
    ? { type: 'unsupported', feature }
    : { type: 'unsupported', feature, details };
}

/**
 * Whether the caller set headers of its own. The AI SDK adds its `user-agent` to every call;
 * that one is not the caller's and gets no warning.
 */
export function setsHeaders(headers: Record<string, string | undefined> | undefined): boolean {
  return Object.entries(headers ?? {}).some(
    ([name, value]) => value !== undefined && name.toLowerCase() !== 'user-agent',
  );
}
