// The load generator's HTTP/1.1 client: one keep-alive socket, one request at a time, the
// request's bytes encoded once. It does what the bench needs and nothing more (no redirects,
// no pipelining, no compression), so that the load process, which shares the machine's cores
// with the server it measures, spends as little CPU per request as it can: about a third of
// what undici's full client spends, which the server would otherwise lose to it.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One answer, as far as the bench checks it. */
export interface LeanAnswer {
  status: number;
  /** The body as latin1 text: enough to find `[DONE]` and to quote an error. */
  body: string;
  /** ms from sending to the first byte of the body. */
  firstByteMs: number;
}

/** The request, encoded once for every send. */
export function encodeRequest(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Buffer {
  const { host } = new URL(url);
  const lines = [
    `POST ${path} HTTP/1.1`,
    `host: ${host}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

interface Pending {
  resolve: (answer: LeanAnswer) => void;
  reject: (error: Error) => void;
  sentAt: number;
}

/** A keep-alive connection that sends one request at a time and reads its whole answer. */
export class LeanConnection {
  #socket: Socket | undefined;
  #pending: Pending | undefined;
  #text = '';
  #bodyStart = -1;
  #status = 0;
  #chunked = false;
  #length = 0;
  #close = false;
  /** Where the next chunk-size line starts (chunked answers). */
  #cursor = 0;
  #body = '';
  #firstByteMs = -1;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {}

  /** Sends `request` and resolves with the answer once its last byte arrived. */
  send(request: Buffer): Promise<LeanAnswer> {
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, sentAt: performance.now() };
      this.#text = '';
      this.#bodyStart = -1;
      this.#cursor = 0;
      this.#body = '';
      this.#firstByteMs = -1;
      this.#open().write(request);
    });
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.destroy();
  }

  #open(): Socket {
    if (this.#socket) return this.#socket;
    const socket = connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.#read(data));
    // Only the current socket's end fails the request in flight; one closed on purpose is gone.
    const gone = (error?: Error) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#fail(error ?? new Error('the server closed the connection mid-answer'));
    };
    socket.on('error', gone);
    socket.on('close', () => gone());
    this.#socket = socket;
    return socket;
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }

  #read(data: Buffer): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#text += data.toString('latin1');
    if (this.#bodyStart < 0) {
      const end = this.#text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#text.slice(0, end).toLowerCase();
      this.#status = Number(head.slice(9, 12));
      this.#chunked = head.includes('\r\ntransfer-encoding: chunked');
      this.#length = Number(/\r\ncontent-length: (\d+)/.exec(head)?.[1] ?? 0);
      this.#close = head.includes('\r\nconnection: close');
      this.#bodyStart = end + 4;
      this.#cursor = this.#bodyStart;
    }
    if (this.#firstByteMs < 0 && this.#text.length > this.#bodyStart) {
      this.#firstByteMs = performance.now() - pending.sentAt;
    }
    if (!this.#complete()) return;
    this.#pending = undefined;
    if (this.#close) this.close();
    pending.resolve({ status: this.#status, body: this.#body, firstByteMs: this.#firstByteMs });
  }

  /** Whether the whole body is in; collects the chunked body's data as it goes. */
  #complete(): boolean {
    if (!this.#chunked) {
      if (this.#text.length - this.#bodyStart < this.#length) return false;
      this.#body = this.#text.slice(this.#bodyStart, this.#bodyStart + this.#length);
      return true;
    }
    for (;;) {
      const lineEnd = this.#text.indexOf('\r\n', this.#cursor);
      if (lineEnd < 0) return false;
      const size = Number.parseInt(this.#text.slice(this.#cursor, lineEnd), 16);
      // The last chunk is `0`, then the empty line that ends the (empty) trailers.
      if (size === 0) return this.#text.length >= lineEnd + 4;
      const dataEnd = lineEnd + 2 + size;
      if (this.#text.length < dataEnd + 2) return false;
      this.#body += this.#text.slice(lineEnd + 2, dataEnd);
      this.#cursor = dataEnd + 2;
    }
  }
}
