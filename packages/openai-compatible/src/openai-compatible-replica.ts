import type { ToolCall } from '@g4f/core';
import {
  createReplicaServer,
  type ReplicaHandler,
  type ReplicaResponse,
  type ReplicaServer,
} from '@g4f/core/replica';

/** How a streamed answer ends. */
export type StreamEnd =
  /** A finish reason, the usage event, then `data: [DONE]` (what OpenAI sends). */
  | 'done'
  /** A finish reason, then the body ends without `[DONE]` (some local servers). */
  | 'finish-only'
  /** The body ends cleanly after the last text, with neither: a short answer. */
  | 'none';

/** The replica's switches; change them on `replica.state` between calls. */
export interface OpenaiCompatibleReplicaState {
  /** The answer text; default a sentence with accented letters and an emoji. */
  answer: string;
  /** Reasoning streamed before the answer as `reasoning_content`; default none. */
  reasoning: string;
  /** Characters per streamed delta. Default 6. */
  chunkChars: number;
  /** Pause between writes, in ms. Default 5. */
  chunkDelayMs: number;
  /** How a stream ends. Default `done`. */
  streamEnd: StreamEnd;
  /** Write an `error` event (status 200) after this many text deltas. Default never. */
  errorAfterDeltas: number | undefined;
  /** When set, requests without `Authorization: Bearer <apiKey>` get OpenAI's 401. */
  apiKey: string | undefined;
  /** The listing of `GET /models`; chat with a model not in it is OpenAI's 404. */
  models: { id: string; type?: string; image?: boolean; vision?: boolean }[];
  /** When a request carries `tools`, answer these calls instead of text. */
  toolCalls: ToolCall[];
  /** The text answered after a `tool` message: the template gets the tool's content. */
  afterTool: (toolContent: string) => string;
  /** How `/images/generations` answers. Default `url`. */
  imageAnswer: 'url' | 'b64_json' | 'text';
}

/** The replica: a real loopback server speaking OpenAI's chat completions protocol. */
export interface OpenaiCompatibleReplica extends ReplicaServer {
  readonly state: OpenaiCompatibleReplicaState;
  /** The `baseUrl` a provider is given: the replica's URL plus `/v1`. */
  readonly baseUrl: string;
}

/** The route that carries chat answers. */
export const CHAT_ROUTE = 'POST /v1/chat/completions';
/** The model listing. */
export const MODELS_ROUTE = 'GET /v1/models';
/** Image generation. */
export const IMAGES_ROUTE = 'POST /v1/images/generations';

const DEFAULT_ANSWER = 'Hello from the OpenAI-compatible replica — naïve café, déjà vu ☕ 👋';
/** A 1x1 transparent PNG, what `b64_json` answers carry. */
export const PIXEL_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** Default state, shared with the Ollama replica. */
export function defaultOpenaiState(): OpenaiCompatibleReplicaState {
  return {
    answer: DEFAULT_ANSWER,
    reasoning: '',
    chunkChars: 6,
    chunkDelayMs: 5,
    streamEnd: 'done',
    errorAfterDeltas: undefined,
    apiKey: undefined,
    models: [
      { id: 'gpt-4o-mini', type: 'chat' },
      { id: 'llama3.2', type: 'chat' },
      { id: 'flux', type: 'image', image: true },
    ],
    toolCalls: [
      {
        id: 'call_weather_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      },
    ],
    afterTool: (content) => `The tool says: ${content}`,
    imageAnswer: 'url',
  };
}

/** OpenAI's error body, `{ error: { message, type, code } }`. */
function openaiError(
  status: number,
  message: string,
  type: string,
  code: string | null,
): ReplicaResponse {
  return { status, json: { error: { message, type, param: null, code } } };
}

function split(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) {
    out.push(chars.slice(i, i + size).join(''));
  }
  return out;
}

/** Why a request body is refused, as OpenAI words it; undefined when it is fine. */
function refusal(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'We could not parse the JSON body';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return 'you must provide a model parameter';
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return "Invalid 'messages': empty array. Expected an array with minimum length 1";
  }
  for (const [i, m] of (b.messages as unknown[]).entries()) {
    const msg = m as { role?: unknown; content?: unknown; tool_call_id?: unknown } | null;
    if (!msg || !ROLES.has(msg.role as string)) return `Invalid value for 'messages[${i}].role'`;
    if (msg.role === 'tool' && typeof msg.tool_call_id !== 'string') {
      return `Missing required parameter: 'messages[${i}].tool_call_id'`;
    }
  }
  if (b.stream !== undefined && typeof b.stream !== 'boolean') return "Invalid type for 'stream'";
  if (b.tools !== undefined && !Array.isArray(b.tools)) return "Invalid type for 'tools'";
  return undefined;
}

/** One `chat.completion.chunk` event. */
function chunkEvent(
  model: string,
  delta: Record<string, unknown>,
  finishReason: string | null = null,
): string {
  const event = {
    id: 'chatcmpl-replica',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
  return `data: ${JSON.stringify(event)}\n\n`;
}

/**
 * The routes of an OpenAI-compatible server under `prefix` (`/v1`): chat (streamed or whole),
 * `/models` and `/images/generations`, with OpenAI's checks and error bodies.
 */
export function openaiRoutes(
  state: OpenaiCompatibleReplicaState,
  prefix = '/v1',
): Record<string, ReplicaHandler> {
  const authorized = (headers: Record<string, string>): ReplicaResponse | undefined => {
    if (state.apiKey === undefined || headers.authorization === `Bearer ${state.apiKey}`) {
      return undefined;
    }
    return openaiError(
      401,
      'Incorrect API key provided. You can find your API key at https://platform.openai.com.',
      'invalid_request_error',
      'invalid_api_key',
    );
  };
  return {
    [`GET ${prefix}/models`]: (request) =>
      authorized(request.headers) ?? {
        json: {
          object: 'list',
          data: state.models.map((m) => ({ object: 'model', owned_by: 'replica', ...m })),
        },
      },
    [`POST ${prefix}/images/generations`]: (request) => {
      const denied = authorized(request.headers);
      if (denied) return denied;
      const body = request.json as { prompt?: unknown; model?: unknown } | undefined;
      if (typeof body?.prompt !== 'string' || body.prompt === '') {
        return openaiError(
          400,
          "Missing required parameter: 'prompt'",
          'invalid_request_error',
          null,
        );
      }
      if (state.imageAnswer === 'text') {
        return { headers: { 'content-type': 'text/plain' }, body: 'Image generation is down' };
      }
      const image =
        state.imageAnswer === 'url'
          ? { url: `https://images.invalid/${encodeURIComponent(body.prompt)}.png` }
          : { b64_json: PIXEL_PNG_BASE64 };
      return { json: { created: 1_700_000_000, data: [image], model: body.model } };
    },
    [`POST ${prefix}/chat/completions`]: (request) => {
      const denied = authorized(request.headers);
      if (denied) return denied;
      const problem = refusal(request.json);
      if (problem) return openaiError(400, problem, 'invalid_request_error', null);
      const body = request.json as {
        model: string;
        messages: { role: string; content: string }[];
        stream?: boolean;
        tools?: unknown[];
        stream_options?: { include_usage?: boolean };
      };
      if (!state.models.some((m) => m.id === body.model)) {
        return openaiError(
          404,
          `The model \`${body.model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        );
      }
      const last = body.messages.at(-1)!;
      const calls = body.tools && last.role !== 'tool' ? state.toolCalls : [];
      const text = last.role === 'tool' ? state.afterTool(last.content) : state.answer;
      const finish = calls.length > 0 ? 'tool_calls' : 'stop';
      const usage = { prompt_tokens: 12, completion_tokens: 34, total_tokens: 46 };
      if (!body.stream) {
        const message: Record<string, unknown> = {
          role: 'assistant',
          content: calls.length > 0 ? null : text,
        };
        if (state.reasoning) message.reasoning_content = state.reasoning;
        if (calls.length > 0) message.tool_calls = calls;
        return {
          json: {
            id: 'chatcmpl-replica',
            object: 'chat.completion',
            created: 1_700_000_000,
            model: body.model,
            choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
            usage,
          },
        };
      }
      const events: string[] = [chunkEvent(body.model, { role: 'assistant', content: '' })];
      for (const piece of split(state.reasoning, state.chunkChars)) {
        events.push(chunkEvent(body.model, { reasoning_content: piece }));
      }
      if (calls.length > 0) {
        calls.forEach((call, index) => {
          events.push(
            chunkEvent(body.model, {
              tool_calls: [
                {
                  index,
                  id: call.id,
                  type: 'function',
                  function: { name: call.function.name, arguments: '' },
                },
              ],
            }),
          );
          for (const piece of split(call.function.arguments, state.chunkChars)) {
            events.push(
              chunkEvent(body.model, { tool_calls: [{ index, function: { arguments: piece } }] }),
            );
          }
        });
      } else {
        split(text, state.chunkChars).forEach((piece, i) => {
          if (i === state.errorAfterDeltas) {
            events.push(
              `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } })}\n\n`,
            );
          }
          events.push(chunkEvent(body.model, { content: piece }));
        });
      }
      if (state.streamEnd !== 'none') events.push(chunkEvent(body.model, {}, finish));
      if (state.streamEnd === 'done') {
        if (body.stream_options?.include_usage) {
          events.push(
            `data: ${JSON.stringify({ id: 'chatcmpl-replica', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [], usage })}\n\n`,
          );
        }
        events.push('data: [DONE]\n\n');
      }
      return {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
        },
        body: events,
        chunkDelayMs: state.chunkDelayMs,
      };
    },
  };
}

/**
 * Starts a loopback replica of an OpenAI-compatible server (what Ollama, vLLM, llama.cpp and
 * hosted APIs answer at `/v1`): chat streamed as SSE or whole as JSON, reasoning, tool calls,
 * usage, `/models`, `/images/generations`, OpenAI's error bodies, an `error` event inside a
 * 200 stream and streams that end without `[DONE]`. Faults: `replica.fail(CHAT_ROUTE, …)`.
 */
export async function createOpenaiCompatibleReplica(
  initial: Partial<OpenaiCompatibleReplicaState> = {},
): Promise<OpenaiCompatibleReplica> {
  const state: OpenaiCompatibleReplicaState = { ...defaultOpenaiState(), ...initial };
  const server = await createReplicaServer({ routes: openaiRoutes(state) });
  return Object.assign(server, { state, baseUrl: `${server.url}/v1` });
}
