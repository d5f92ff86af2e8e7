/** A stream the CLI writes to: process.stdout or process.stderr. */
export interface OutStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

/**
 * Colour only on a terminal and never with `NO_COLOR` set to anything non-empty
 * (https://no-color.org).
 */
export function colourEnabled(stream: OutStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

/** Named styles that are identity functions when colour is off. */
export type Styles = Record<keyof typeof CODES, (text: string) => string>;

/** The styles for one stream. */
export function styles(enabled: boolean): Styles {
  const out = {} as Styles;
  for (const [name, [on, off]] of Object.entries(CODES) as [keyof typeof CODES, number[]][]) {
    out[name] = enabled ? (text) => `\u001b[${on}m${text}\u001b[${off}m` : (text) => text;
  }
  return out;
}

/** A spinner on a terminal stream; on anything else `start` and `stop` do nothing. */
export interface Spinner {
  start(label: string): void;
  /** Erases the spinner's line. Safe to call when it is not running. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner drawn on `stream` (stderr) only when it is a terminal. */
export function createSpinner(stream: OutStream): Spinner {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(label) {
      if (!stream.isTTY || timer) return;
      let frame = 0;
      const draw = () => {
        stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${label}`);
      };
      draw();
      timer = setInterval(draw, 80);
      // A spinner never keeps the process alive on its own.
      timer.unref();
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      stream.write('\r\u001b[2K');
    },
  };
}

/**
 * Columns aligned with spaces; the header row is bold when colour is on. `paint` colours a
 * padded cell (padding first, so escape codes never count as width).
 */
export function table(
  header: readonly string[],
  rows: readonly string[][],
  style: Styles,
  paint: (cell: string, row: number, column: number) => string = (cell) => cell,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], row: number) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0);
        return row < 0 ? padded : paint(padded, row, i);
      })
      .join('  ')
      .trimEnd();
  return [style.bold(line(header, -1)), ...rows.map(line)].map((l) => `${l}\n`).join('');
}
