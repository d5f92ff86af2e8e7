import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { createAuraReplica } from '@g4f/aura/replica';
import { ChatgptFree } from '@g4f/chatgptfree';
import { createChatgptFreeReplica } from '@g4f/chatgptfree/replica';
import { servedModels } from '@g4f/client';
import { createMemoryStore, type Provider, type ProviderSettings } from '@g4f/core';
import type { ReplicaServer } from '@g4f/core/replica';
import {
  Ollama,
  OpenaiCompatible,
  ollamaServerFromEnv,
  type RemoteModel,
} from '@g4f/openai-compatible';
import { createOllamaReplica, createOpenaiCompatibleReplica } from '@g4f/openai-compatible/replica';
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
  /**
   * Where the providers that talk to the user's own servers find their configuration
   * (`G4F_OPENAI_BASE_URL`, `G4F_OPENAI_API_KEY`, `G4F_OPENAI_MODEL`, `OLLAMA_HOST`,
   * `OLLAMA_PORT`). Default `process.env`.
   */
  env?: NodeJS.ProcessEnv;
}

/** How one provider is built: where it points, and whether that is a replica. */
interface Target {
  baseUrl: string | undefined;
  onReplica: boolean;
  env: NodeJS.ProcessEnv;
}

interface Entry {
  name: string;
  label: string;
  create(settings: ProviderSettings, target: Target): Provider;
  /** Starts the replica and gives the base URL to point the provider at. */
  startReplica(): Promise<{ server: ReplicaServer; baseUrl: string }>;
  /**
   * Set for a provider of the user's own server: it is built only when `--base-url`,
   * `--replicas` or the environment (this returns true) says where that server is.
   */
  configuredByEnv?(env: NodeJS.ProcessEnv): boolean;
  /** How to configure it, for the error when it is named but not configured. */
  howToConfigure?: string;
}

const started = async (replica: Promise<ReplicaServer>) => {
  const server = await replica;
  return { server, baseUrl: server.url };
};

const set = (value: string | undefined): value is string => value !== undefined && value !== '';

/** An http(s) URL from the environment, else a usage error naming the variable. */
function envUrl(env: NodeJS.ProcessEnv, key: string): string {
  const value = env[key] ?? '';
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(
      `${key}="${value}" is not an http(s) URL`,
      `e.g. ${key}=http://127.0.0.1:8000/v1`,
    );
  }
  return value;
}

// The bundled providers in the order `g4f providers` lists them and routing tries them.
const ENTRIES: readonly Entry[] = [
  {
    name: 'Acytoo',
    label: 'Acytoo',
    create: (s) => new Acytoo(s),
    startReplica: () => started(createAcytooReplica()),
  },
  {
    name: 'Aura',
    label: 'Aura',
    create: (s) => new Aura(s),
    startReplica: () => started(createAuraReplica()),
  },
  {
    name: 'ChatgptFree',
    label: 'ChatgptFree',
    create: (s) => new ChatgptFree(s),
    startReplica: () => started(createChatgptFreeReplica()),
  },
  {
    name: 'RobocodersAPI',
    label: 'API Robocoders AI',
    // Tokens a replica hands out must not land in the user's credentials file.
    create: (s, { onReplica }) =>
      new RobocodersAPI(onReplica ? { ...s, store: createMemoryStore() } : s),
    startReplica: () => started(createRobocodersReplica()),
  },
  {
    name: 'Websim',
    label: 'Websim',
    create: (s) => new Websim(s),
    startReplica: () => started(createWebsimReplica()),
  },
  // The user's own servers, after the bundled upstreams: listed and tried only when configured.
  {
    name: 'OpenaiTemplate',
    label: 'OpenAI-compatible API',
    configuredByEnv: (env) => set(env.G4F_OPENAI_BASE_URL),
    howToConfigure:
      'set G4F_OPENAI_BASE_URL (and G4F_OPENAI_API_KEY), or give --base-url OpenaiTemplate=URL or --replicas',
    create: (s, { baseUrl, onReplica, env }) => {
      const model = set(env.G4F_OPENAI_MODEL) ? env.G4F_OPENAI_MODEL : undefined;
      return new OpenaiCompatible({
        ...s,
        baseUrl: baseUrl ?? envUrl(env, 'G4F_OPENAI_BASE_URL'),
        // The user's key goes to the user's server, never to a replica.
        ...(!onReplica && set(env.G4F_OPENAI_API_KEY) ? { apiKey: env.G4F_OPENAI_API_KEY } : {}),
        ...(model ? { defaultModel: model } : onReplica ? { defaultModel: 'gpt-4o-mini' } : {}),
      });
    },
    startReplica: async () => {
      const replica = await createOpenaiCompatibleReplica();
      return { server: replica, baseUrl: replica.baseUrl };
    },
  },
  {
    name: 'Ollama',
    label: 'Ollama 🦙',
    configuredByEnv: (env) => set(env.OLLAMA_HOST) || set(env.OLLAMA_PORT),
    howToConfigure: 'set OLLAMA_HOST (or OLLAMA_PORT), or give --base-url Ollama=URL or --replicas',
    create: (s, { baseUrl, env }) =>
      new Ollama({ ...s, baseUrl: baseUrl ?? ollamaServerFromEnv(env) }),
    startReplica: () => started(createOllamaReplica()),
  },
];

/**
 * The g4f names of every provider the CLI knows, in the order it lists and tries them: the
 * five bundled upstreams, then `OpenaiTemplate` and `Ollama`, which are there only when
 * configured (`--base-url`, `--replicas` or their environment variables).
 */
export const PROVIDER_NAMES: readonly string[] = ENTRIES.map((e) => e.name);

/** The provider's g4f name for a name or label in any case, else a usage error. */
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
  /**
   * The provider of that g4f name (from {@link canonicalName}); a usage error saying how to
   * configure it when it is one of the user's servers and none was given.
   */
  require(name: string): Provider;
  /** Closes the replicas. */
  close(): Promise<void>;
}

/**
 * Builds every bundled provider, and each provider of the user's own servers that is
 * configured, with the common settings; starts replicas when asked. Precedence of where a
 * provider points: `--base-url`, then `--replicas`, then the environment, then its default.
 */
export async function buildProviders(settings: CommonSettings): Promise<ProviderSet> {
  const env = settings.env ?? process.env;
  const replicas: ReplicaServer[] = [];
  const close = async () => {
    await Promise.all(replicas.map((r) => r.close()));
  };
  try {
    const providers: Provider[] = [];
    for (const entry of ENTRIES) {
      let baseUrl = settings.baseUrls.get(entry.name);
      if (
        entry.configuredByEnv &&
        baseUrl === undefined &&
        !settings.replicas &&
        !entry.configuredByEnv(env)
      ) {
        continue;
      }
      let onReplica = false;
      if (baseUrl === undefined && settings.replicas) {
        const replica = await entry.startReplica();
        replicas.push(replica.server);
        baseUrl = replica.baseUrl;
        onReplica = true;
      }
      const providerSettings: ProviderSettings = {};
      if (settings.proxy !== undefined) providerSettings.proxy = settings.proxy;
      if (settings.timeout !== undefined) providerSettings.timeout = settings.timeout;
      if (baseUrl !== undefined) providerSettings.baseUrl = baseUrl;
      providers.push(entry.create(providerSettings, { baseUrl, onReplica, env }));
    }
    const require = (name: string): Provider => {
      const found = providers.find((p) => p.name === name);
      if (found) return found;
      const entry = ENTRIES.find((e) => e.name === name);
      throw new UsageError(
        `provider "${name}" is not configured`,
        entry?.howToConfigure ?? `one of ${providers.map((p) => p.name).join(', ')}`,
      );
    };
    return { providers, replicas, require, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Without `--timeout`, how long asking a server for its models may take (ms). */
export const LISTING_TIMEOUT_MS = 5_000;

/**
 * The models a provider of the user's own server lists (`GET /models`, Ollama's `/api/tags`);
 * undefined for the bundled providers, whose lists are fixed.
 */
export async function remoteModels(
  provider: Provider,
  timeoutMs = LISTING_TIMEOUT_MS,
): Promise<readonly RemoteModel[] | undefined> {
  if (!(provider instanceof OpenaiCompatible)) return undefined;
  return provider.listModels({ signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * For `--model` without `--provider`: when no provider's fixed list has the model, the first
 * of the user's servers that lists it (a name Ollama lists as `name:latest` counts too), so
 * `g4f chat -m qwen3:0.6b` finds the Ollama that has it. Undefined leaves the routing to the
 * client, which names the models on offer when none serves it. A server that does not answer
 * its listing is passed over.
 */
export async function remoteProviderFor(
  set: ProviderSet,
  model: string | undefined,
  timeoutMs?: number,
): Promise<string | undefined> {
  if (!model || set.providers.some((p) => servedModels(p).includes(model))) return undefined;
  for (const provider of set.providers) {
    const listed = await remoteModels(provider, timeoutMs).catch(() => undefined);
    if (listed?.some((m) => m.id === model || m.id === `${model}:latest`)) return provider.name;
  }
  return undefined;
}
