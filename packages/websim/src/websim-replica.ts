import { createReplicaServer, type ReplicaServer } from '@g4f/core/replica';

/** The replica's switches. */
export interface WebsimReplicaState {
  /** The chat answer, sent with surrounding whitespace the client trims. */
  answer: string;
  /** Refuse aspect ratios other than 1:1, 16:9, 9:16, 4:3, 3:4 (400). */
  strictAspectRatio: boolean;
}

/** The Websim replica. */
export interface WebsimReplica extends ReplicaServer {
  readonly state: WebsimReplicaState;
}

/** The chat route. */
export const WEBSIM_CHAT_ROUTE = 'POST /api/v1/inference/run_chat_completion';
/** The image route. */
export const WEBSIM_IMAGE_ROUTE = 'POST /api/v1/inference/run_image_generation';

const CHAT_ID = /^[a-z0-9]{3}_[a-z0-9]{15}$/;
const IMAGE_ID = /^[a-z0-9]{7}_[a-z0-9]{12}$/;
const RATIOS = new Set(['1:1', '16:9', '9:16', '4:3', '3:4']);

/** The smallest valid PNG: one transparent pixel. */
export const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const invalid = (error: string) => ({ status: 400, json: { error } });

/**
 * Starts a loopback replica of websim.ai's inference API. Bodies are parsed as JSON whatever
 * the content type (the real client sent text/plain); project ids, messages, prompt and
 * aspect ratio are checked (400 JSON otherwise). Images are served at `/images/<id>.png`.
 * Rate limits and other failures are injected per route with `replica.fail(…, { times })`.
 */
export async function createWebsimReplica(
  initial: Partial<WebsimReplicaState> = {},
): Promise<WebsimReplica> {
  const state: WebsimReplicaState = {
    answer: 'Hello from the Websim replica — Gemini says hi 👋',
    strictAspectRatio: true,
    ...initial,
  };
  const objectOf = (value: unknown): Record<string, unknown> | undefined =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  let images = 0;
  const server = await createReplicaServer({
    routes: {
      [WEBSIM_CHAT_ROUTE]: (request) => {
        const body = objectOf(request.json);
        if (!body) return invalid('Invalid JSON');
        if (typeof body.project_id !== 'string' || !CHAT_ID.test(body.project_id))
          return invalid('Invalid project id');
        const messages = body.messages;
        if (
          !Array.isArray(messages) ||
          messages.length === 0 ||
          !messages.every(
            (m) => typeof m === 'object' && m !== null && 'role' in m && 'content' in m,
          )
        ) {
          return invalid('Invalid messages');
        }
        return { json: { content: `  ${state.answer}\n` } };
      },
      [WEBSIM_IMAGE_ROUTE]: (request, context) => {
        const body = objectOf(request.json);
        if (!body) return invalid('Invalid JSON');
        if (typeof body.project_id !== 'string' || !IMAGE_ID.test(body.project_id))
          return invalid('Invalid project id');
        if (typeof body.prompt !== 'string' || body.prompt === '') return invalid('Invalid prompt');
        if (state.strictAspectRatio && !RATIOS.has(String(body.aspect_ratio)))
          return invalid('Invalid aspect ratio');
        images++;
        return { json: { url: `${context.baseUrl}/images/${body.project_id}-${images}.png` } };
      },
      'GET /images/*': () => ({ headers: { 'content-type': 'image/png' }, body: ONE_PIXEL_PNG }),
    },
  });
  return Object.assign(server, { state });
}
