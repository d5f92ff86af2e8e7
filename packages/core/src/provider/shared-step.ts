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
  /**
   * Callers that joined and have not left. A caller that got the outcome never leaves, so a
   * finished run (a kept result) never drops to 0: only a run nobody waits for any more does.
   */
  waiters: number;
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
    // A kept result goes through the same wait as a running step, so a caller that aborts
    // before the result reaches it gets its own reason, as with any other wait.
    const current = this.#flights.get(key) ?? this.#start(key);
    current.waiters++;
    return new Promise<T>((resolve, reject) => {
      // Whichever of the outcome, the abort and the timer comes first ends the wait and stops
      // the other two from reaching `leave`.
      const stopWaiting = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const leave = (error: unknown): void => {
        stopWaiting();
        reject(error);
        current.waiters--;
        if (current.waiters === 0) {
          // Nobody wants the answer any more: stop the step and let the next caller start anew.
          if (this.#flights.get(key) === current) this.#flights.delete(key);
          current.controller.abort(new Error('Every caller waiting for the shared step left'));
        }
      };
      // Stryker disable next-line OptionalChaining: only a signal calls onAbort, so it is set.
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
      signal?.addEventListener('abort', onAbort);
      current.promise.then(
        (value) => {
          stopWaiting();
          resolve(value);
        },
        (error: unknown) => {
          stopWaiting();
          reject(error);
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
    };
    const forget = (): void => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    flight.promise.then(() => {
      if (!this.#options.keep) forget();
    }, forget);
    this.#flights.set(key, flight);
    return flight;
  }
}
