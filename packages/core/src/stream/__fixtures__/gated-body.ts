// Test helper: a byte stream that pauses between two parts until the reader lets it go on.

/** A body that waits after its first part; see {@link gatedBody}. */
export interface GatedBody {
  body: AsyncGenerator<Uint8Array>;
  /** Lets the body go on past its first part. */
  release(): void;
  /** Whether the body has sent everything and ended. */
  readonly finished: boolean;
}

/**
 * Sends `first`, waits until `release()` is called, sends `rest` if given, then ends. A reader
 * that hands data over as it arrives sees `first`'s data while `finished` is still false. The
 * wait also ends after two seconds, only so that a reader that holds data back until the end
 * fails its test instead of hanging.
 */
export function gatedBody(first: string, rest?: string): GatedBody {
  const encoder = new TextEncoder();
  let finished = false;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, 2000).unref();
  });
  async function* body(): AsyncGenerator<Uint8Array> {
    yield encoder.encode(first);
    await gate;
    if (rest !== undefined) yield encoder.encode(rest);
    finished = true;
  }
  return {
    body: body(),
    release: () => open(),
    get finished() {
      return finished;
    },
  };
}
