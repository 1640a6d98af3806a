import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

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

export interface ConsoleSizes {
  /** Gzipped bytes of every JavaScript file of the build. */
  total: { bytes: number; files: number };
  pages: { name: string; bytes: number; files: number }[];
}

/** Reads dist/.vite/manifest.json and gzips what each page loads. */
export function consoleSizes(dist: string): ConsoleSizes {
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
