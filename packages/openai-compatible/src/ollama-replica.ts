import { createReplicaServer, type ReplicaServer } from '@g4f/core/replica';
import {
  defaultOpenaiState,
  type OpenaiCompatibleReplicaState,
  openaiRoutes,
} from './openai-compatible-replica.js';

/** The Ollama replica's switches: the OpenAI-compatible ones plus the native routes'. */
export interface OllamaReplicaState extends OpenaiCompatibleReplicaState {
  /** Names `GET /api/tags` lists (the models pulled on the server). */
  localModels: string[];
  /** `thinking` text streamed before the answer on `/api/chat`; default none. */
  thinking: string;
  /** End `/api/chat` without its `"done": true` line. Default false. */
  omitDone: boolean;
}

/** The Ollama replica: a real loopback server. */
export interface OllamaReplica extends ReplicaServer {
  readonly state: OllamaReplicaState;
}

/** Ollama's native chat route (NDJSON). */
export const OLLAMA_CHAT_ROUTE = 'POST /api/chat';
/** Ollama's list of local models. */
export const OLLAMA_TAGS_ROUTE = 'GET /api/tags';

function pieces(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/**
 * Starts a loopback replica of an Ollama server: `GET /api/tags`, the native NDJSON
 * `POST /api/chat` (404 `{"error"}` for a model not pulled, `thinking` then `content` lines,
 * a last `done` line with the counts) and the OpenAI-compatible routes under `/v1`.
 */
export async function createOllamaReplica(
  initial: Partial<OllamaReplicaState> = {},
): Promise<OllamaReplica> {
  const state: OllamaReplicaState = {
    ...defaultOpenaiState(),
    localModels: ['llama3.2:latest', 'qwen3:0.6b'],
    thinking: '',
    omitDone: false,
    ...initial,
  };
  const server = await createReplicaServer({
    routes: {
      ...openaiRoutes(state, '/v1'),
      [OLLAMA_TAGS_ROUTE]: () => ({
        json: {
          models: state.localModels.map((name) => ({
            name,
            model: name,
            modified_at: '2025-01-01T00:00:00Z',
            size: 1_000_000,
            digest: 'sha256:replica',
          })),
        },
      }),
      [OLLAMA_CHAT_ROUTE]: (request) => {
        const body = request.json as { model?: unknown; messages?: unknown } | undefined;
        if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
          return { status: 400, json: { error: 'model and messages are required' } };
        }
        const name = body.model;
        if (!state.localModels.some((m) => m === name || m === `${name}:latest`)) {
          return {
            status: 404,
            json: { error: `model "${name}" not found, try pulling it first` },
          };
        }
        const line = (message: Record<string, string>, extra: Record<string, unknown> = {}) =>
          `${JSON.stringify({
            model: name,
            created_at: '2025-01-01T00:00:00Z',
            message: { role: 'assistant', content: '', ...message },
            done: false,
            ...extra,
          })}\n`;
        const lines = [
          ...pieces(state.thinking, state.chunkChars).map((t) => line({ thinking: t })),
          ...pieces(state.answer, state.chunkChars).map((c) => line({ content: c })),
        ];
        if (!state.omitDone) {
          lines.push(
            line({}, { done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 290 }),
          );
        }
        return {
          headers: { 'content-type': 'application/x-ndjson' },
          body: lines,
          chunkDelayMs: state.chunkDelayMs,
        };
      },
    },
  });
  return Object.assign(server, { state });
}
