// The static files of the docs page and the dashboard. scripts/build.mjs copies them (web/ plus Swagger UI from
// swagger-ui-dist) into dist/assets/ next to the bundle, which is what is deployed (.funcignore leaves node_modules
// and the sources out); they are read relative to the bundle on first use and kept in memory.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every file that may be served, with its content type: nothing outside this list is ever read. */
export const STATIC_ASSETS: Readonly<Record<string, string>> = {
  'docs.html': 'text/html; charset=utf-8',
  'docs.js': 'text/javascript; charset=utf-8',
  'dashboard.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

export interface StaticAsset {
  body: Buffer;
  contentType: string;
}

/** Where the assets are: dist/assets beside the bundle (dist/app.js); dist/assets under the working directory when
 * this module runs unbundled (tests through ts-jest). */
function candidateDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, 'assets'), path.resolve('dist', 'assets')];
}

const cache = new Map<string, Promise<StaticAsset | undefined>>();

async function load(name: string, contentType: string): Promise<StaticAsset | undefined> {
  for (const dir of candidateDirs()) {
    try {
      return { body: await readFile(path.join(dir, name)), contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return undefined;
}

/** The asset, or undefined when the name is not in the list (or the build did not copy it). */
export async function readStaticAsset(name: string): Promise<StaticAsset | undefined> {
  const contentType = Object.hasOwn(STATIC_ASSETS, name) ? STATIC_ASSETS[name] : undefined;
  if (contentType === undefined) return undefined;
  let p = cache.get(name);
  if (!p) {
    p = load(name, contentType);
    // A missing file is not cached: a build running next to a dev host may be copying it right now.
    void p.then((a) => (a ? undefined : cache.delete(name))).catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}
