import { randomBytes } from 'node:crypto';
import { createReplicaServer, type ReplicaServer, utf8Pieces } from '@g4f/core/replica';

/** How the replica answers a valid ask. */
export type ChatgptFreeAnswerMode = 'sse' | 'json' | 'json-pretty' | 'mixed';

/** What the page carries. */
export type ChatgptFreePageVariant = 'normal' | 'no-post-id' | 'no-nonce' | 'empty-nonce';

/** The replica's switches; change them on `replica.state` between calls. */
export interface ChatgptFreeReplicaState {
  answer: string;
  mode: ChatgptFreeAnswerMode;
  page: ChatgptFreePageVariant;
  /** Line ending of the SSE answer. */
  lineEnding: '\n' | '\r\n';
  /** Status WordPress sends with `-1` for a bad nonce: 403 (usual) or 200. */
  badNonceStatus: 200 | 403;
  /** Reject every nonce, even the current one. */
  rejectAllNonces: boolean;
  /** Bytes per write of the answer; small values split lines and characters. */
  chunkBytes: number;
  chunkDelayMs: number;
}

/** The ChatgptFree replica. */
export interface ChatgptFreeReplica extends ReplicaServer {
  readonly state: ChatgptFreeReplicaState;
  readonly postId: string;
  /** The nonce the page hands out now. */
  readonly nonce: string;
  /** Hands out a new nonce; the old one is rejected from now on. */
  rotateNonce(): void;
  /** How many times the page was loaded. */
  pageLoads(): number;
}

/** The route that carries answers. */
export const CHATGPTFREE_ROUTE = 'POST /wp-admin/admin-ajax.php';
/** The page the nonce is scraped from. */
export const CHATGPTFREE_PAGE_ROUTE = 'GET /';

const DEFAULT_ANSWER = 'Hi from the ChatgptFree replica — ça marche, 日本語も 👍';

function sseBody(answer: string, lineEnding: string): string {
  const words = answer.match(/\S+\s*/g) ?? [];
  const lines = [
    `data: ${JSON.stringify({ choices: [{ delta: { role: 'assistant' } }] })}`,
    ...words.map((word) => `data: ${JSON.stringify({ choices: [{ delta: { content: word } }] })}`),
    'data: [DONE]',
  ];
  return lines.map((line) => `${line}${lineEnding}${lineEnding}`).join('');
}

function page(postId: string, nonce: string, variant: ChatgptFreePageVariant): string {
  const post = variant === 'no-post-id' ? '' : ` data-post-id="${postId}"`;
  const nonceAttribute =
    variant === 'no-nonce' ? '' : ` data-nonce="${variant === 'empty-nonce' ? '' : nonce}"`;
  return `<!DOCTYPE html><html><head><title>ChatGPT Free</title></head><body>
<div class="wpaicg-chat-shortcode"${post}${nonceAttribute} data-bot-id="0" data-type="shortcode"></div>
</body></html>`;
}

/**
 * Starts a loopback replica of the chatgptfree.ai WordPress site: `GET /` serves the chat widget
 * with a post id and a per-replica nonce (and a session cookie); `POST /wp-admin/admin-ajax.php`
 * checks the form as AI Power and WordPress do (`-1` for a bad nonce, `0` for an unknown
 * action) and answers in the mode `state.mode` names.
 */
export async function createChatgptFreeReplica(
  initial: Partial<ChatgptFreeReplicaState> = {},
): Promise<ChatgptFreeReplica> {
  const state: ChatgptFreeReplicaState = {
    answer: DEFAULT_ANSWER,
    mode: 'sse',
    page: 'normal',
    lineEnding: '\n',
    badNonceStatus: 403,
    rejectAllNonces: false,
    chunkBytes: 9,
    chunkDelayMs: 5,
    ...initial,
  };
  const postId = '123';
  let nonce = randomBytes(5).toString('hex');
  const server = await createReplicaServer({
    routes: {
      [CHATGPTFREE_PAGE_ROUTE]: () => ({
        headers: {
          'content-type': 'text/html; charset=UTF-8',
          'set-cookie': 'wp_session=replica; Path=/; HttpOnly',
        },
        body: page(postId, nonce, state.page),
      }),
      [CHATGPTFREE_ROUTE]: (request) => {
        const form = new URLSearchParams(request.text);
        if (form.get('action') !== 'wpaicg_chat_shortcode_message')
          return { status: 200, body: '0' };
        if (state.rejectAllNonces || form.get('_wpnonce') !== nonce || nonce === '') {
          return { status: state.badNonceStatus, body: '-1' };
        }
        if (form.get('post_id') !== postId || form.get('bot_id') !== '0' || !form.get('message')) {
          return {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ status: 'error', msg: 'Missing post id, bot id or message' }),
          };
        }
        const json = { status: 'success', msg: '', data: state.answer };
        const body =
          state.mode === 'sse'
            ? sseBody(state.answer, state.lineEnding)
            : state.mode === 'json'
              ? JSON.stringify(json)
              : state.mode === 'json-pretty'
                ? JSON.stringify(json, null, 2)
                : `${sseBody('Streamed part. ', state.lineEnding).replace(/data: \[DONE\]\s*$/, '')}${JSON.stringify(json)}`;
        return {
          headers: {
            'content-type': state.mode === 'sse' ? 'text/event-stream' : 'application/json',
          },
          body: utf8Pieces(body, state.chunkBytes),
          chunkDelayMs: state.chunkDelayMs,
        };
      },
    },
  });
  const replica = Object.assign(server, {
    state,
    postId,
    rotateNonce() {
      nonce = randomBytes(5).toString('hex');
    },
    pageLoads: () => server.callsTo(CHATGPTFREE_PAGE_ROUTE).length,
  });
  // A getter, not a copied value: the nonce changes when it is rotated.
  Object.defineProperty(replica, 'nonce', { get: () => nonce, enumerable: true });
  return replica as ChatgptFreeReplica;
}
