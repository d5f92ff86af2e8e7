import { RequestTimeoutError } from '../errors/transport-errors.js';

/** How one caller waits for a shared step. */
export interface SharedStepWait {
  /** Ends this caller's wait with `signal.reason`; the step goes on for the other callers. */
  signal?: AbortSignal;
  /** Longest wait for this caller, in ms; then a `RequestTimeoutError` for this caller only. */
  timeout?: number;
}

/** Options of {@link SharedStep}. */
export interface SharedStepOptions {
  /** Keep a successful result for later calls until {@link SharedStep.reset}. Default false. */
  keep?: boolean;
  /** Names the step in timeout messages, e.g. `ChatgptFree page load`. */
  name?: string;
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/**
 * One run of an expensive step (a page scrape, a login) shared by every concurrent caller
 * with the same key, e.g. the proxy the step goes through: callers with different keys never
 * share a run.
 *
 * The run belongs to no caller. It gets its own signal, which aborts only when every waiting
 * caller has gone, so one caller's abort or timeout ends that caller's wait and nobody
 * else's. With `keep`, a success is kept and handed to later callers until `reset()`; a
 * failure is never kept.
 */
export class SharedStep<T> {
  readonly #run: (key: string, signal: AbortSignal) => Promise<T>;
  readonly #options: SharedStepOptions;
  readonly #flights = new Map<string, Flight<T>>();

  /** `run` does the step for `key`; it should stop when `signal` aborts. */
  constructor(
    run: (key: string, signal: AbortSignal) => Promise<T>,
    options: SharedStepOptions = {},
  ) {
    this.#run = run;
    this.#options = options;
  }

  /** The kept result for `key`, else the running step's, else a new run's. */
  get(key: string, wait: SharedStepWait = {}): Promise<T> {
    const { signal, timeout } = wait;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let flight = this.#flights.get(key);
    if (flight?.settled) return flight.promise;
    if (!flight) flight = this.#start(key);
    const current = flight;
    current.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        current.waiters--;
        return true;
      };
      const leave = (error: unknown): void => {
        if (!finish()) return;
        reject(error);
        if (current.waiters === 0 && !current.settled) {
          // Nobody wants the answer any more: stop the step and let the next caller start anew.
          if (this.#flights.get(key) === current) this.#flights.delete(key);
          current.controller.abort(new Error('Every caller waiting for the shared step left'));
        }
      };
      const onAbort = (): void => leave(signal?.reason);
      const timer =
        timeout === undefined
          ? undefined
          : setTimeout(
              () =>
                leave(
                  new RequestTimeoutError(
                    `${this.#options.name ?? 'A shared step'} took longer than ${timeout} ms`,
                    { phase: 'headers', timeoutMs: timeout },
                  ),
                ),
              timeout,
            );
      signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          if (finish()) resolve(value);
        },
        (error: unknown) => {
          if (finish()) reject(error);
        },
      );
    });
  }

  /**
   * Forgets the kept result for `key` (every key when omitted), and detaches a running step so
   * the next caller starts a new one; callers already waiting still get the old run's outcome.
   */
  reset(key?: string): void {
    if (key === undefined) this.#flights.clear();
    else this.#flights.delete(key);
  }

  #start(key: string): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = {
      promise: Promise.resolve().then(() => this.#run(key, controller.signal)),
      controller,
      waiters: 0,
      settled: false,
    };
    flight.promise.then(
      () => {
        flight.settled = true;
        if (!this.#options.keep && this.#flights.get(key) === flight) this.#flights.delete(key);
      },
      () => {
        flight.settled = true;
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      },
    );
    this.#flights.set(key, flight);
    return flight;
  }
}
