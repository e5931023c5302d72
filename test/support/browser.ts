// Headless Chromium for the browser tests: Debian's `chromium` (installed by .ci/run) driven by puppeteer-core, axe-core
// run inside the page, and screenshots under .data/screenshots. Outside CI a missing chromium skips the tests with a
// message; in CI (CI=true) it fails them, so the face of the app is never silently untested.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser binary, or undefined when none is installed. */
export function findChromium(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** `it` when a browser can run; outside CI `it.skip` with a message when chromium is absent; in CI always `it`. */
export function browserAvailable(): boolean {
  if (findChromium()) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') return true; // launching fails loudly below
  process.stderr.write(
    'SKIPPED browser tests: no chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run installs it)\n',
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('chromium is not installed (apt-get install -y chromium); CI requires it');
  return puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container: no user namespaces for the sandbox; /dev/shm is small.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--font-render-hinting=none'],
    defaultViewport: { width: 1280, height: 900 },
  });
}

export interface ConsoleRecorder {
  errors: string[];
}

/** Records console errors, uncaught page errors and failed requests of a page. */
export function recordConsole(page: Page): ConsoleRecorder {
  const rec: ConsoleRecorder = { errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') rec.errors.push(`console: ${m.text()} ${m.location()?.url ?? ''}`);
  });
  page.on('pageerror', (e) => rec.errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  page.on('requestfailed', (r) => rec.errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return rec;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core inside the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
    return axe.run({ resultTypes: ['violations'] });
  })) as { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 10).map((n) => JSON.stringify(n.target)),
    }));
}

export const SCREENSHOT_DIR = path.resolve('.data', 'screenshots');

/** A PNG of the page (the whole page, or the first screen when fullPage is false). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
