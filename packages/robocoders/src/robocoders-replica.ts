import { randomBytes } from 'node:crypto';
import { createReplicaServer, type ReplicaResponse, type ReplicaServer } from '@g4f/core/replica';

/** The replica's switches; change them on `replica.state` between calls. */
export interface RobocodersReplicaState {
  /** Answer pieces, one NDJSON line each. */
  pieces: string[];
  /** The last line asks the client to `continue`; the continuation streams these pieces. */
  waitForResponse: boolean;
  continuation: string[];
  /** Mix garbage lines (bad JSON, blank, `null`, `[]`, `{"args":null}`) among the answer. */
  badLines: boolean;
  /** `/auth` serves a page without `pre#token`. */
  authWithoutToken: boolean;
  chunkDelayMs: number;
}

/** The Robocoders replica. */
export interface RobocodersReplica extends ReplicaServer {
  readonly state: RobocodersReplicaState;
  /** Forgets every token and session issued so far: cached credentials now get 401. */
  revokeAll(): void;
  /** How many tokens `/auth` has issued. */
  tokensIssued(): number;
}

export const ROBOCODERS_AUTH_ROUTE = 'GET /auth';
export const ROBOCODERS_SESSION_ROUTE = 'GET /create-session';
/** The route that carries answers. */
export const ROBOCODERS_CHAT_ROUTE = 'POST /chat';

const AGENTS = new Set(['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent']);

function line(content: string, waitForResponse = false): string {
  return `${JSON.stringify({ action: 'message', args: { content, wait_for_response: waitForResponse }, message: content })}\n`;
}

function missing(field: string): ReplicaResponse {
  return {
    status: 422,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      detail: [{ loc: ['body', field], msg: 'field required', type: 'value_error.missing' }],
    }),
  };
}

const unauthorized: ReplicaResponse = {
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: '{"detail":"Unauthorized"}',
};

/**
 * Starts a loopback replica of api.robocoders.ai: `/auth` hands out a token inside
 * `<pre id="token">`, `/create-session` turns a known bearer token into a sid, and `/chat`
 * checks token, sid and agent (401 / FastAPI-style 422) and streams NDJSON lines, with the
 * optional `wait_for_response` continuation.
 */
export async function createRobocodersReplica(
  initial: Partial<RobocodersReplicaState> = {},
): Promise<RobocodersReplica> {
  const state: RobocodersReplicaState = {
    pieces: ['Here is ', 'the plan: ', 'écrire ✍️ ', 'code.'],
    waitForResponse: false,
    continuation: [' Continuing', ' after wait.'],
    badLines: false,
    authWithoutToken: false,
    chunkDelayMs: 5,
    ...initial,
  };
  const tokens = new Set<string>();
  const sessions = new Set<string>();
  let issued = 0;
  const bearer = (authorization: string | undefined): string | undefined =>
    authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;

  const server = await createReplicaServer({
    routes: {
      [ROBOCODERS_AUTH_ROUTE]: () => {
        if (state.authWithoutToken) {
          return {
            headers: { 'content-type': 'text/html' },
            body: '<html><body><p>Sign in</p></body></html>',
          };
        }
        const token = randomBytes(12).toString('hex');
        tokens.add(token);
        issued++;
        return {
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: `<!DOCTYPE html><html><body><h1>Your token</h1><pre id="token">\n  ${token}  \n</pre></body></html>`,
        };
      },
      [ROBOCODERS_SESSION_ROUTE]: (request) => {
        const authorization = request.headers.authorization;
        if (authorization !== undefined && !authorization.startsWith('Bearer '))
          return missing('authorization');
        const token = bearer(authorization);
        if (!token || !tokens.has(token)) return unauthorized;
        const sid = randomBytes(8).toString('hex');
        sessions.add(sid);
        return { json: { sid } };
      },
      [ROBOCODERS_CHAT_ROUTE]: (request) => {
        const token = bearer(request.headers.authorization);
        if (!token || !tokens.has(token)) return unauthorized;
        if (typeof request.json !== 'object' || request.json === null) return missing('body');
        const body = request.json as { sid?: unknown; prompt?: unknown; agent?: unknown };
        if (typeof body.sid !== 'string' || !sessions.has(body.sid)) return missing('sid');
        if (typeof body.prompt !== 'string') return missing('prompt');
        if (typeof body.agent !== 'string' || !AGENTS.has(body.agent)) return missing('agent');
        const continuing = body.prompt === 'continue';
        const pieces = continuing ? state.continuation : state.pieces;
        const lines = pieces.map((piece, index) =>
          line(piece, !continuing && state.waitForResponse && index === pieces.length - 1),
        );
        if (continuing && state.waitForResponse) lines.push(line(' (nested wait)', true));
        if (state.badLines) {
          lines.splice(1, 0, 'not json\n', '\n', 'null\n', '[]\n', '{"args":null,"message":"x"}\n');
          lines.push('{"observation":"agent_state_changed","message":" [state changed]"}\n');
        }
        return {
          headers: { 'content-type': 'application/x-ndjson' },
          body: lines,
          chunkDelayMs: state.chunkDelayMs,
        };
      },
    },
  });
  return Object.assign(server, {
    state,
    revokeAll() {
      tokens.clear();
      sessions.clear();
    },
    tokensIssued: () => issued,
  });
}
