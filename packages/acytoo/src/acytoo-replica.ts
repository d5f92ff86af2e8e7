import { createReplicaServer, type ReplicaServer, utf8Pieces } from '@g4f/core/replica';

/** The replica's switches; change them on `replica.state` between calls. */
export interface AcytooReplicaState {
  /** The answer text; default a sentence with accented letters and an emoji. */
  answer: string;
  /** Bytes per write: small values split multi-byte characters across writes. Default 7. */
  chunkBytes: number;
  /** Pause between writes, in ms. Default 10. */
  chunkDelayMs: number;
}

/** The Acytoo replica: a real loopback server. */
export interface AcytooReplica extends ReplicaServer {
  readonly state: AcytooReplicaState;
}

/** The route that carries answers. */
export const ACYTOO_ROUTE = 'POST /api/completions';

const DEFAULT_ANSWER = 'Hello from the Acytoo replica — naïve café, déjà vu ☕ 👋';
const ROLES = new Set(['system', 'user', 'assistant']);

function isValid(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  const messagesOk =
    Array.isArray(b.messages) &&
    b.messages.length > 0 &&
    b.messages.every(
      (m: unknown) =>
        typeof m === 'object' &&
        m !== null &&
        ROLES.has((m as { role?: unknown }).role as string) &&
        typeof (m as { content?: unknown }).content === 'string',
    );
  return (
    typeof b.key === 'string' &&
    typeof b.password === 'string' &&
    typeof b.model === 'string' &&
    messagesOk &&
    typeof b.temperature === 'number' &&
    b.temperature >= 0 &&
    b.temperature <= 2
  );
}

/**
 * Starts a loopback replica of chat.acytoo.com: `POST /api/completions` checks the body the
 * real service needed (400 `Bad Request` otherwise) and streams the answer as chunked
 * `text/plain`, cut so that multi-byte characters straddle writes. Faults are injected with
 * `replica.fail(ACYTOO_ROUTE, …)`.
 */
export async function createAcytooReplica(
  initial: Partial<AcytooReplicaState> = {},
): Promise<AcytooReplica> {
  const state: AcytooReplicaState = {
    answer: DEFAULT_ANSWER,
    chunkBytes: 7,
    chunkDelayMs: 10,
    ...initial,
  };
  const server = await createReplicaServer({
    routes: {
      [ACYTOO_ROUTE]: (request) => {
        if (!isValid(request.json)) {
          return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad Request' };
        }
        return {
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: utf8Pieces(state.answer, state.chunkBytes),
          chunkDelayMs: state.chunkDelayMs,
        };
      },
    },
  });
  return Object.assign(server, { state });
}
