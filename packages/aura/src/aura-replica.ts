import {
  challengePage,
  createReplicaServer,
  type ReplicaServer,
  utf8Pieces,
} from '@g4f/core/replica';

/** The replica's switches; change them on `replica.state` between calls. */
export interface AuraReplicaState {
  /** The answer text; default a sentence with accented letters and an emoji. */
  answer: string;
  /** Bytes per write; small values split multi-byte characters. Default 5. */
  chunkBytes: number;
  /** Pause between writes, in ms. Default 10. */
  chunkDelayMs: number;
  /** Refuse `/api/chat` without the `cf_clearance` cookie that `GET /` hands out. */
  requireCookie: boolean;
}

/** The Aura replica. */
export interface AuraReplica extends ReplicaServer {
  readonly state: AuraReplicaState;
  /** The cookie `GET /` sets and `requireCookie` mode checks. */
  readonly clearanceCookie: string;
}

/** The route that carries answers. */
export const AURA_ROUTE = 'POST /api/chat';

const DEFAULT_ANSWER = 'Bonjour from the Aura replica: crème brûlée, naïve résumé 🍮 done.';

function validate(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  const model = b.model as Record<string, unknown> | undefined;
  if (
    typeof model !== 'object' ||
    model === null ||
    typeof model.id !== 'string' ||
    typeof model.name !== 'string' ||
    typeof model.maxLength !== 'number' ||
    typeof model.tokenLimit !== 'number'
  ) {
    return 'model must be {id, name, maxLength, tokenLimit}';
  }
  if (!Array.isArray(b.messages)) return 'messages must be an array';
  for (const m of b.messages as unknown[]) {
    const message = m as { role?: unknown; content?: unknown } | null;
    if (typeof message?.role !== 'string' || typeof message.content !== 'string') {
      return 'each message needs a string role and content';
    }
    // The UI puts system text in `prompt`; a system message here means the client did not.
    if (message.role === 'system') return 'system messages belong in prompt';
  }
  if (
    typeof b.key !== 'string' ||
    typeof b.prompt !== 'string' ||
    typeof b.temperature !== 'number'
  ) {
    return 'key, prompt and temperature are required';
  }
  return undefined;
}

/**
 * Starts a loopback replica of openchat.team: `POST /api/chat` checks the chatbot-ui body
 * (400 with the reason otherwise) and streams raw `text/plain` in small writes; `GET /` sets a
 * `cf_clearance` cookie that `requireCookie` mode demands (a challenge page without it).
 * chatbot-ui failures (500 `Error`) and the rest are injected with `replica.fail(AURA_ROUTE, …)`.
 */
export async function createAuraReplica(
  initial: Partial<AuraReplicaState> = {},
): Promise<AuraReplica> {
  const state: AuraReplicaState = {
    answer: DEFAULT_ANSWER,
    chunkBytes: 5,
    chunkDelayMs: 10,
    requireCookie: false,
    ...initial,
  };
  const clearanceCookie = 'cf_clearance=replica-clearance';
  const server = await createReplicaServer({
    routes: {
      'GET /': () => ({
        headers: { 'content-type': 'text/html', 'set-cookie': `${clearanceCookie}; Path=/` },
        body: '<!DOCTYPE html><html><body>OpenChat</body></html>',
      }),
      [AURA_ROUTE]: (request) => {
        if (state.requireCookie && !(request.headers.cookie ?? '').includes(clearanceCookie)) {
          return { status: 403, headers: { 'content-type': 'text/html' }, body: challengePage };
        }
        const problem = validate(request.json);
        if (problem)
          return { status: 400, headers: { 'content-type': 'text/plain' }, body: problem };
        return {
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: utf8Pieces(state.answer, state.chunkBytes),
          chunkDelayMs: state.chunkDelayMs,
        };
      },
    },
  });
  return Object.assign(server, { state, clearanceCookie });
}
