#!/usr/bin/env node
import { main } from './program.js';

// No top-level await: the same entry is also built as CommonJS.
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main() prints and maps every failure itself; this is a last resort for a bug.
    console.error(error);
    process.exitCode = 1;
  },
);
