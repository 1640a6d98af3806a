// Builds the API ahead of time into plain JavaScript (apps/api/dist/), so production runs no
// transpiler: `npm start` loads this bundle instead of transpiling every .ts file through tsx
// at each start and keeping tsx resident (see bench/changes.md, "Start-up"). Development keeps tsx.
//
// Our own code (the API and the workspace packages @reg/contracts and @reg/db, which ship as
// TypeScript source) is bundled; every npm package stays external and is loaded from
// node_modules as usual. The bundle sits at the same folder depth as the sources, so the paths
// they resolve from import.meta.url (console/dist, prisma/migrations) land in the same places.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const API_DIST = path.join(ROOT, 'apps/api/dist');
/** esbuild's record of every file that went into the bundle; run-api.mjs compares their times. */
export const BUILD_INPUTS = path.join(API_DIST, 'inputs.json');
export const ENTRIES = ['server', 'admin-cli'];

/** npm packages stay external; relative imports and our workspace packages are bundled. */
const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@reg/') ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildApi() {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES.map((name) => `apps/api/src/${name}.ts`),
    outdir: API_DIST,
    bundle: true,
    splitting: true, // the server and the operator CLI share one chunk of common code
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked', // NODE_OPTIONS=--enable-source-maps maps stack traces back to the .ts files
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  mkdirSync(API_DIST, { recursive: true });
  writeFileSync(BUILD_INPUTS, JSON.stringify(Object.keys(result.metafile.inputs), null, 1));
}

// `npm run build:api`; run-api.mjs imports buildApi() instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildApi();
  console.log(`API built into ${path.relative(ROOT, API_DIST)}/`);
}
