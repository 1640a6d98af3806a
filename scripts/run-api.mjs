// `npm start` and `npm run admin`: runs the API's built JavaScript (apps/api/dist/), building it
// first when it is missing or older than any file it was built from (a fresh clone, a pull, an
// edit), as the console is built on first start. Usage: node scripts/run-api.mjs server|admin-cli [args]
//
// The entry is imported into this same process (no second Node process, no signal forwarding);
// esbuild is loaded only when a build is needed, so it takes no memory in the running server.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const API_DIST = path.join(ROOT, 'apps/api/dist');
const [, launcher, entry, ...args] = process.argv;
if (!['server', 'admin-cli'].includes(entry ?? '')) {
  console.error(`Usage: node ${path.relative(process.cwd(), launcher)} server|admin-cli [arguments]`);
  process.exit(2);
}
const output = path.join(API_DIST, `${entry}.js`);

if (isStale()) {
  // On stderr: what `npm run admin` prints on stdout stays only its answer, for scripts.
  console.error('Building the API (first start, or its sources changed)…');
  const { buildApi } = await import('./build-api.mjs');
  await buildApi();
}
// The entry reads its own arguments from process.argv, as when run directly.
process.argv = [process.argv[0], output, ...args];
await import(pathToFileURL(output).href);

function isStale() {
  const inputsFile = path.join(API_DIST, 'inputs.json');
  if (!existsSync(output) || !existsSync(inputsFile)) return true;
  const builtAt = statSync(inputsFile).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  // A new source file only matters once an existing one imports it, which changes that one.
  return inputs.some(
    (input) => !existsSync(path.join(ROOT, input)) || statSync(path.join(ROOT, input)).mtimeMs > builtAt,
  );
}
