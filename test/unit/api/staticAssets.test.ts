// The static assets are served from a fixed list: anything else, including path tricks, is not read.
import { describe, expect, it } from '@jest/globals';
import { readStaticAsset, STATIC_ASSETS } from '../../../shared/web/staticAssets.js';

describe('readStaticAsset', () => {
  it('serves every listed file from the build output with its content type', async () => {
    for (const name of Object.keys(STATIC_ASSETS)) {
      const asset = await readStaticAsset(name);
      expect({ name, found: asset !== undefined }).toEqual({ name, found: true });
      expect(asset?.contentType).toBe(STATIC_ASSETS[name]);
      expect(asset?.body.length).toBeGreaterThan(0);
    }
  });

  it('reads nothing outside the list', async () => {
    for (const name of [
      '../package.json',
      '..',
      'app.js',
      'app.js.map',
      '%2e%2e/host.json',
      'constructor',
      '__proto__',
    ])
      expect(await readStaticAsset(name)).toBeUndefined();
  });

  it('the pages load scripts and styles from the app only (no CDN)', async () => {
    for (const page of ['docs.html', 'dashboard.html']) {
      const html = (await readStaticAsset(page))?.body.toString('utf8') ?? '';
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.filter((u) => /^(https?:)?\/\//i.test(u))).toEqual([]);
    }
  });
});
