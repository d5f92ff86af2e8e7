// The load generator's HTTP/1.1 client: one keep-alive socket, one request at a time, the
// request's bytes encoded once. It does what the bench needs and nothing more (no redirects,
// no pipelining, no compression), so that the load process, which shares the machine's cores
// with the server it measures, spends as little CPU per request as it can: about half of what
// undici's full client spends, which the server would otherwise lose to it. Anything it does
// not understand fails the request and drops the socket rather than guess.
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

/** How the answer's body ends. */
type Framing =
  | { kind: 'chunked' }
  | { kind: 'length'; length: number }
  /** Neither: the body runs until the server closes the connection. */
  | { kind: 'close' };

interface Pending {
  resolve: (answer: LeanAnswer) => void;
  reject: (error: Error) => void;
  sentAt: number;
  timer: NodeJS.Timeout;
}

/** A keep-alive connection that sends one request at a time and reads its whole answer. */
export class LeanConnection {
  #socket: Socket | undefined;
  #pending: Pending | undefined;
  #text = '';
  #bodyStart = -1;
  #status = 0;
  #framing: Framing = { kind: 'close' };
  #closeAfter = false;
  /** Where the next chunk-size line starts (chunked answers). */
  #cursor = 0;
  #body = '';
  #firstByteMs = -1;

  /** @param timeoutMs - longest wait for a whole answer; then the request fails. */
  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** Sends `request` and resolves with the answer once its last byte arrived. */
  send(request: Buffer): Promise<LeanAnswer> {
    if (this.#pending) throw new Error('LeanConnection sends one request at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.#abandon(new Error(`no whole answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.#pending = { resolve, reject, sentAt: performance.now(), timer };
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
    // Only the current socket's end concerns the request in flight; one closed on purpose is gone.
    const gone = (error?: Error) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (!error && this.#pending && this.#framing.kind === 'close' && this.#bodyStart >= 0) {
        this.#body = this.#text.slice(this.#bodyStart);
        this.#settle();
        return;
      }
      this.#fail(
        error ??
          new Error(
            this.#text === ''
              ? 'the server closed the connection before answering'
              : 'the server closed the connection mid-answer',
          ),
      );
    };
    socket.on('error', gone);
    socket.on('close', () => gone());
    this.#socket = socket;
    return socket;
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) clearTimeout(pending.timer);
    pending?.reject(error);
  }

  /** Fails the request and drops the socket: what is left on it cannot be trusted. */
  #abandon(error: Error): void {
    this.#fail(error);
    this.close();
  }

  #settle(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    clearTimeout(pending.timer);
    if (this.#closeAfter) this.close();
    pending.resolve({ status: this.#status, body: this.#body, firstByteMs: this.#firstByteMs });
  }

  #read(data: Buffer): void {
    const pending = this.#pending;
    // A keep-alive connection is silent between answers: bytes now belong to no request.
    if (!pending) {
      this.close();
      return;
    }
    this.#text += data.toString('latin1');
    if (this.#bodyStart < 0) {
      const end = this.#text.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!this.#readHead(this.#text.slice(0, end))) return;
      this.#bodyStart = end + 4;
      this.#cursor = this.#bodyStart;
    }
    if (this.#firstByteMs < 0 && this.#text.length > this.#bodyStart) {
      this.#firstByteMs = performance.now() - pending.sentAt;
    }
    if (this.#complete()) this.#settle();
  }

  /** Reads the status line and the headers that frame the body; false when it gave up. */
  #readHead(head: string): boolean {
    const [statusLine = '', ...lines] = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
    if (status === undefined) {
      this.#abandon(new Error(`not an HTTP/1.1 status line: ${statusLine.slice(0, 80)}`));
      return false;
    }
    this.#status = Number(status);
    let chunked = false;
    let length: number | undefined;
    this.#closeAfter = false;
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'transfer-encoding') chunked = value.split(',').at(-1)?.trim() === 'chunked';
      else if (name === 'content-length') length = Number(value);
      else if (name === 'connection')
        this.#closeAfter = value.split(',').some((v) => v.trim() === 'close');
    }
    if (length !== undefined && !(Number.isInteger(length) && length >= 0)) {
      this.#abandon(new Error(`bad content-length in the answer: ${length}`));
      return false;
    }
    // 204 and 304 answers have no body whatever their headers say.
    const empty = this.#status === 204 || this.#status === 304;
    this.#framing = chunked
      ? { kind: 'chunked' }
      : length !== undefined || empty
        ? { kind: 'length', length: empty ? 0 : (length ?? 0) }
        : { kind: 'close' };
    if (this.#framing.kind === 'close') this.#closeAfter = true;
    return true;
  }

  /** Whether the whole body is in; collects the chunked body's data as it goes. */
  #complete(): boolean {
    const framing = this.#framing;
    if (framing.kind === 'close') return false;
    if (framing.kind === 'length') {
      const end = this.#bodyStart + framing.length;
      if (this.#text.length < end) return false;
      if (this.#text.length > end) {
        this.#abandon(new Error('the answer is longer than its content-length'));
        return false;
      }
      this.#body = this.#text.slice(this.#bodyStart, end);
      return true;
    }
    for (;;) {
      const lineEnd = this.#text.indexOf('\r\n', this.#cursor);
      if (lineEnd < 0) return false;
      // A size line may carry extensions after `;`.
      const sizeText = this.#text.slice(this.#cursor, lineEnd).split(';')[0]!.trim();
      const size = /^[0-9a-fA-F]+$/.test(sizeText) ? Number.parseInt(sizeText, 16) : Number.NaN;
      if (Number.isNaN(size)) {
        this.#abandon(new Error(`bad chunk size line: ${JSON.stringify(sizeText.slice(0, 40))}`));
        return false;
      }
      if (size === 0) {
        // The last chunk: then trailers, if any, and the empty line that ends them.
        if (this.#text.startsWith('\r\n', lineEnd + 2)) return this.#finalEnd(lineEnd + 4);
        const end = this.#text.indexOf('\r\n\r\n', lineEnd + 2);
        return end >= 0 && this.#finalEnd(end + 4);
      }
      const dataEnd = lineEnd + 2 + size;
      if (this.#text.length < dataEnd + 2) return false;
      if (!this.#text.startsWith('\r\n', dataEnd)) {
        this.#abandon(new Error('a chunk is longer than its size line says'));
        return false;
      }
      this.#body += this.#text.slice(lineEnd + 2, dataEnd);
      this.#cursor = dataEnd + 2;
    }
  }

  /** The chunked answer ended at `end`; bytes beyond it belong to no request. */
  #finalEnd(end: number): boolean {
    if (this.#text.length > end) {
      this.#abandon(new Error('bytes after the end of the answer'));
      return false;
    }
    return true;
  }
}
