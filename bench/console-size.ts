import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RunContext } from './context.ts';
import { fmt } from './fixtures.ts';
import { ROOT } from './processes.ts';

/** One entry of Vite's build manifest (`build.manifest: true`), as far as the bench needs it. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/**
 * The pages whose download is held to a budget, by the route module the router loads lazily
 * (apps/console/src/app/router.tsx). A page loads the entry, the layouts above it and its
 * own module, each with the chunks it imports statically; what it imports dynamically (a
 * dialog opened on a click) is not part of loading the page.
 */
const PAGES = {
  'sign-in page': ['src/app/routes/sign-in.tsx'],
  'Product Registrations': [
    'src/app/routes/app/root.tsx',
    'src/app/routes/app/iam-layout.tsx',
    'src/app/routes/app/product-registrations.tsx',
  ],
} as const;

interface ConsoleSizes {
  /** Gzipped bytes of every JavaScript file of the build. */
  total: { bytes: number; files: number };
  pages: { name: string; bytes: number; files: number }[];
}

/** Reads dist/.vite/manifest.json and gzips what each page loads. */
function consoleSizes(dist: string): ConsoleSizes {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string) => {
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(dist, file))).length);
    return gzipped.get(file)!;
  };
  const closure = (keys: string[]) => {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk) throw new Error(`The console build has no chunk for ${key}: is its route still lazy?`);
      if (files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    keys.forEach(visit);
    return [...files].filter((file) => file.endsWith('.js'));
  };
  const entries = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
  const all = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((file) => file.endsWith('.js'));
  const measure = (files: string[]) => ({
    bytes: files.reduce((sum, file) => sum + sizeOf(file), 0),
    files: files.length,
  });
  return {
    total: measure(all),
    pages: Object.entries(PAGES).map(([name, keys]) => ({ name, ...measure(closure([...entries, ...keys])) })),
  };
}

/**
 * Console JavaScript, gzipped, built fresh in a full run: what the sign-in page and Product
 * Registrations load (from Vite's manifest, above) and the whole console.
 */
export function consoleSize({ quick, figures, notes, log }: RunContext) {
  const dist = path.join(ROOT, 'apps/console/dist');
  if (!quick) {
    log('building the console');
    const result = spawnSync('npm', ['run', 'build', '-w', '@reg/console'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) {
      notes.push(
        `The console build failed, so its size was not measured: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
      );
      return;
    }
  }
  let sizes: ConsoleSizes;
  try {
    sizes = consoleSizes(dist);
  } catch (error) {
    notes.push(`The console's size was not measured (build it with npm run build first): ${(error as Error).message}`);
    return;
  }
  const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;
  for (const page of sizes.pages) {
    figures.push({
      name: `Console JavaScript the ${page.name} loads, gzipped`,
      ours: `${kb(page.bytes)} (${page.files} files)`,
      target: '≤ 150 KB',
      met: page.bytes <= 150 * 1024,
    });
    log(`console JavaScript of the ${page.name}: ${kb(page.bytes)} gzipped in ${page.files} files`);
  }
  figures.push({
    name: 'Console JavaScript, all pages, gzipped',
    ours: `${kb(sizes.total.bytes)} (${sizes.total.files} files)`,
    target: '≤ 250 KB',
    met: sizes.total.bytes <= 250 * 1024,
  });
  log(`console JavaScript: ${kb(sizes.total.bytes)} gzipped in ${sizes.total.files} files`);
}
