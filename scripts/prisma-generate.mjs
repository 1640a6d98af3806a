// Generates the Prisma client offline. The Prisma CLI downloads its schema engine at
// start, even for `generate`, unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file;
// generate itself never runs that engine, so any file will do. This keeps `npm install`
// working on machines that can't reach Prisma's download host (docs/design.md, Data).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
