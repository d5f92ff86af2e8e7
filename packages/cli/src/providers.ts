import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { createAuraReplica } from '@g4f/aura/replica';
import { ChatgptFree } from '@g4f/chatgptfree';
import { createChatgptFreeReplica } from '@g4f/chatgptfree/replica';
import { createMemoryStore, type Provider, type ProviderSettings } from '@g4f/core';
import type { ReplicaServer } from '@g4f/core/replica';
import { RobocodersAPI } from '@g4f/robocoders';
import { createRobocodersReplica } from '@g4f/robocoders/replica';
import { Websim } from '@g4f/websim';
import { createWebsimReplica } from '@g4f/websim/replica';
import { UsageError } from './errors.js';

/** Settings every provider of the CLI gets, from the common options. */
export interface CommonSettings {
  /** Provider name (g4f name or label, any case) → base URL. */
  baseUrls: ReadonlyMap<string, string>;
  proxy: string | undefined;
  /** Milliseconds. */
  timeout: number | undefined;
  /** Start every bundled replica and point the providers without a `--base-url` at them. */
  replicas: boolean;
}

interface Entry {
  name: string;
  label: string;
  create(settings: ProviderSettings, onReplica: boolean): Provider;
  startReplica(): Promise<ReplicaServer>;
}

// The bundled providers in the order `g4f providers` lists them and routing tries them.
const ENTRIES: readonly Entry[] = [
  {
    name: 'Acytoo',
    label: 'Acytoo',
    create: (s) => new Acytoo(s),
    startReplica: () => createAcytooReplica(),
  },
  {
    name: 'Aura',
    label: 'Aura',
    create: (s) => new Aura(s),
    startReplica: () => createAuraReplica(),
  },
  {
    name: 'ChatgptFree',
    label: 'ChatgptFree',
    create: (s) => new ChatgptFree(s),
    startReplica: () => createChatgptFreeReplica(),
  },
  {
    name: 'RobocodersAPI',
    label: 'API Robocoders AI',
    // Tokens a replica hands out must not land in the user's credentials file.
    create: (s, onReplica) =>
      new RobocodersAPI(onReplica ? { ...s, store: createMemoryStore() } : s),
    startReplica: () => createRobocodersReplica(),
  },
  {
    name: 'Websim',
    label: 'Websim',
    create: (s) => new Websim(s),
    startReplica: () => createWebsimReplica(),
  },
];

/** The g4f names of the bundled providers. */
export const PROVIDER_NAMES: readonly string[] = ENTRIES.map((e) => e.name);

/** The bundled provider's g4f name for a name or label in any case, else a usage error. */
export function canonicalName(name: string): string {
  const wanted = name.trim().toLowerCase();
  const found = ENTRIES.find(
    (e) => e.name.toLowerCase() === wanted || e.label.toLowerCase() === wanted,
  );
  if (!found) {
    throw new UsageError(`unknown provider "${name}"`, `one of ${PROVIDER_NAMES.join(', ')}`);
  }
  return found.name;
}

/** The providers built from the common options, and the replicas started for them. */
export interface ProviderSet {
  providers: Provider[];
  replicas: ReplicaServer[];
  /** Closes the replicas. */
  close(): Promise<void>;
}

/** Builds every bundled provider with the common settings, starting replicas when asked. */
export async function buildProviders(settings: CommonSettings): Promise<ProviderSet> {
  const replicas: ReplicaServer[] = [];
  const close = async () => {
    await Promise.all(replicas.map((r) => r.close()));
  };
  try {
    const providers: Provider[] = [];
    for (const entry of ENTRIES) {
      let baseUrl = settings.baseUrls.get(entry.name);
      let onReplica = false;
      if (baseUrl === undefined && settings.replicas) {
        const replica = await entry.startReplica();
        replicas.push(replica);
        baseUrl = replica.url;
        onReplica = true;
      }
      const providerSettings: ProviderSettings = {};
      if (baseUrl !== undefined) providerSettings.baseUrl = baseUrl;
      if (settings.proxy !== undefined) providerSettings.proxy = settings.proxy;
      if (settings.timeout !== undefined) providerSettings.timeout = settings.timeout;
      providers.push(entry.create(providerSettings, onReplica));
    }
    return { providers, replicas, close };
  } catch (error) {
    await close();
    throw error;
  }
}
