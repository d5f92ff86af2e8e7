// Child process for the multi-process test: many read-modify-write updates of one file.
import { createFileStore } from '../file-store.js';

const [dir, id, count] = process.argv.slice(2);
const store = createFileStore({ name: 'shared', cacheDir: dir });
for (let i = 0; i < Number(count); i++) {
  await store.update({ [`writer${id}`]: i, last: id });
}
