/**
 * Cuts a streamed answer before the first stop string, also when a stop string is split
 * across chunks: text that could still turn into a stop string is held back until the next
 * chunk decides. The result is the same however the answer is chunked.
 */
export class StopCutter {
  private readonly stops: readonly string[];
  private pending = '';

  /** Empty stop strings are ignored. */
  constructor(stops: readonly string[]) {
    this.stops = stops.filter((stop) => stop.length > 0);
  }

  /** Takes the next chunk; returns the text that is safe to emit and whether a stop was hit. */
  push(chunk: string): { text: string; stopped: boolean } {
    const buffer = this.pending + chunk;
    const cut = stopIndex(buffer, this.stops);
    // A partial match that starts before a complete one could still end as an earlier stop.
    const partial = buffer.length - this.partialLength(buffer);
    if (cut !== -1 && cut <= partial) {
      this.pending = '';
      return { text: buffer.slice(0, cut), stopped: true };
    }
    this.pending = buffer.slice(partial);
    return { text: buffer.slice(0, partial), stopped: false };
  }

  /**
   * The held-back text once the answer has ended. A stop string found earlier but held
   * for a longer candidate that never completed still cuts it.
   */
  flush(): { text: string; stopped: boolean } {
    const rest = this.pending;
    this.pending = '';
    const cut = stopIndex(rest, this.stops);
    return cut === -1
      ? { text: rest, stopped: false }
      : { text: rest.slice(0, cut), stopped: true };
  }

  /** Length of the longest end of `buffer` that is a proper beginning of a stop string. */
  private partialLength(buffer: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}

/** Where a whole text would be cut by `stops`: the earliest occurrence of any of them. */
export function stopIndex(text: string, stops: readonly string[]): number {
  let cut = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut;
}
