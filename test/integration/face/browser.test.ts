// Issue 17's "done when", in headless Chromium against `npm start` (the dev host on free ports): the docs page lists
// every route and "try it out" succeeds with the key typed into Authorize; the dashboard renders the simulated
// cluster, starts an incident, shows the finding the next sweep reports, resolves the incident, and shows a
// diagnosis; the HTML sweep report opens. Each page: no console errors, no serious or critical axe-core violation,
// and a screenshot under .data/screenshots (the README's images come from there).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'puppeteer-core';
import { startLocalApp, type LocalApp } from '../../support/localApp.js';
import {
  browserAvailable,
  launchBrowser,
  recordConsole,
  screenshot,
  SCREENSHOT_DIR,
  seriousAxeViolations,
  type ConsoleRecorder,
} from '../../support/browser.js';
import { openApiPath, ROUTES } from '../../../shared/api/routeCatalogue.js';

const run = browserAvailable();
const suite = run ? describe : describe.skip;

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

let app: LocalApp;
let browser: Browser;
let lastConsole: ConsoleRecorder | undefined;
let reportFile: string | undefined;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The latest sweep id of the simulated cluster, read over the API. */
async function latestSweepId(): Promise<string | undefined> {
  const res = await fetch(`${app.appUrl}/api/clusters?code=${app.functionKey}`);
  const body = (await res.json()) as { clusters: Array<{ clusterId: string; lastSweepId: string }> };
  return body.clusters.find((c) => c.clusterId === CLUSTER_ID)?.lastSweepId;
}

/** Runs the sweep timer through the host's admin endpoint and waits until the worker stored a new sweep. */
async function sweepNow(): Promise<string> {
  const before = await latestSweepId();
  const res = await fetch(`${app.appUrl}/admin/functions/sweepTimer?code=${app.masterKey}`, {
    method: 'POST',
    body: '{}',
  });
  expect(res.status).toBe(202);
  return waitFor(
    async () => {
      const id = await latestSweepId();
      return id !== undefined && id !== before ? id : undefined;
    },
    60000,
    'a new sweep',
  );
}

async function openPage(url: string): Promise<{ page: Page; console: ConsoleRecorder }> {
  const page = await browser.newPage();
  const console = recordConsole(page);
  lastConsole = console;
  await page.goto(url, { waitUntil: 'networkidle0' });
  return { page, console };
}

/** Waits for the dashboard to finish rendering a view (it sets data-ready when its data arrived). */
async function ready(page: Page, view: string): Promise<void> {
  try {
    await page.waitForSelector(`body[data-ready="${view}"]`, { timeout: 30000 });
  } catch (err) {
    const text = await page.evaluate(() => document.body.innerText);
    throw new Error(
      `the dashboard did not render ${view}: ${String(err)}\npage text:\n${text}\nconsole: ${lastConsole?.errors.join('\n')}`,
    );
  }
}

suite('the face of the app in headless Chromium', () => {
  beforeAll(async () => {
    // No timed sweeps: the test runs them through the admin endpoint when it needs one.
    [app, browser] = await Promise.all([startLocalApp({ env: { SWEEP_SCHEDULE: '0 0 0 1 1 *' } }), launchBrowser()]);
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the docs page lists every route, and "try it out" succeeds with the key typed into Authorize', async () => {
    const { page, console } = await openPage(`${app.appUrl}/api/`);
    await page.waitForSelector('.opblock', { timeout: 30000 });
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((b) => ({
        method: (b.querySelector('.opblock-summary-method')?.textContent ?? '').trim(),
        path: b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '',
      })),
    );
    const expected = ROUTES.map((r) => ({ method: r.method, path: openApiPath(r.route) }));
    expect(listed.map((l) => `${l.method} ${l.path}`).sort()).toEqual(
      expected.map((l) => `${l.method} ${l.path}`).sort(),
    );
    // The example in the page uses the host and port it was served from.
    expect(await page.$eval('#curl-example', (e) => e.textContent)).toBe(`curl ${app.appUrl}/api/health`);
    expect(await page.content()).not.toContain(app.functionKey);
    // The README's picture: the route list, before a key is typed (so no key is in it).
    await screenshot(page, 'docs');

    // Authorize: type the key, authorize, close.
    await page.click('.btn.authorize');
    await page.waitForSelector('.auth-container input[type=text], .auth-container input[type=password]');
    const input = (await page.$$('.auth-container input'))[0];
    await input!.type(app.functionKey);
    await page.click('.auth-btn-wrapper .btn.modal-btn.auth.authorize');
    await page.click('.btn-done');

    // Try GET /clusters (function key) out.
    await page.click('#operations-Clusters_and_sweeps-getClusters .opblock-summary-control');
    await page.waitForSelector('#operations-Clusters_and_sweeps-getClusters .try-out__btn');
    await page.click('#operations-Clusters_and_sweeps-getClusters .try-out__btn');
    await page.click('#operations-Clusters_and_sweeps-getClusters .btn.execute');
    await page.waitForSelector(
      '#operations-Clusters_and_sweeps-getClusters .live-responses-table tbody .response-col_status',
    );
    const status = await page.$eval(
      '#operations-Clusters_and_sweeps-getClusters .live-responses-table tbody .response-col_status',
      (e) => (e.textContent ?? '').trim(),
    );
    expect(status).toBe('200');
    const curl = await page.$eval('#operations-Clusters_and_sweeps-getClusters .curl-command', (e) => e.textContent);
    expect(curl).toContain(`${app.appUrl}/api/clusters`);

    // After try-it-out too: the dialog, the request form and the live response are checked as well.
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(console.errors).toEqual([]);
    await page.close();
  }, 90000);

  it('the dashboard: fleet, a simulated incident started and resolved, its finding on the cluster page, its diagnosis', async () => {
    await sweepNow();
    // The key from ?code= is taken into sessionStorage and removed from the address bar.
    const { page, console } = await openPage(`${app.appUrl}/api/dashboard?code=${app.functionKey}#`);
    await ready(page, 'fleet');
    expect(page.url()).not.toContain(app.functionKey);
    expect(await page.$eval('#fleet-table', (t) => t.textContent)).toContain('aks-sim');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Simulator view: start a memory leak from the form.
    await page.goto(`${app.appUrl}/api/dashboard#simulator`, { waitUntil: 'networkidle0' });
    await ready(page, 'simulator');
    expect(await page.$$eval('#sim-charts figure', (f) => f.length)).toBe(4);
    await page.select('#inc-type', 'memory_leak');
    await page.select('#inc-service', 'payment-service');
    await page.select('#inc-severity', 'high');
    await page.click('#incident-form button[type=submit]');
    const incidentRow = await page.waitForSelector('#incidents-table tr[data-incident] button', { timeout: 20000 });
    expect(incidentRow).not.toBeNull();
    await page.waitForFunction(() => document.querySelector('#overall-status')?.textContent !== 'healthy', {
      timeout: 20000,
    });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-simulator');

    // The next sweep sees the OOM-killed payment-service pods; the cluster page shows the finding.
    await waitFor(
      async () => {
        await sweepNow();
        const res = await fetch(
          `${app.appUrl}/api/sweeps/latest?cluster=${encodeURIComponent(CLUSTER_ID)}&code=${app.functionKey}`,
        );
        const latest = (await res.json()) as { findings: Array<{ name: string }> };
        return latest.findings.some((f) => f.name.startsWith('payment-service')) ? true : undefined;
      },
      90000,
      'a sweep reporting payment-service',
    );
    await page.goto(`${app.appUrl}/api/dashboard#`, { waitUntil: 'networkidle0' });
    await ready(page, 'fleet');
    await page.click('#fleet-table tbody a');
    await ready(page, `cluster/${CLUSTER_ID}`);
    const findingsText = await page.$$eval('details.check', (d) => d.map((x) => x.textContent ?? '').join('\n'));
    expect(findingsText).toMatch(/payment-service[\s\S]*(OOMKilled|OOM-killed|137)/);
    expect(await page.$eval('main', (m) => m.textContent)).toContain('ARM facts');
    // The simulated cluster's anomalous series, charted with the flagged point marked.
    const anomalies = await page.$$eval('#anomalies figure', (f) => f.map((x) => x.textContent ?? ''));
    expect(anomalies.join('\n')).toContain('payment-service: memory_usage_percent');
    expect(await page.$$eval('#anomalies circle.chart-flag', (c) => c.length)).toBeGreaterThan(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-cluster', { fullPage: false });

    // The CLI's HTML report of the same cluster, through the printed kubeconfig, while the incident is on.
    const report = await promisify(execFile)(
      process.execPath,
      [path.resolve('dist/cli.js'), 'sweep', '--kubeconfig', app.kubeconfig, '--output', 'html', '--fail-on', 'none'],
      { maxBuffer: 32 * 1024 * 1024 },
    );
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    reportFile = path.join(SCREENSHOT_DIR, 'sweep-report.html');
    writeFileSync(reportFile, report.stdout);
    expect(report.stdout).toContain('payment-service');

    // The incident's alert became a diagnosis; its page shows the evidence with the reproduce lines.
    await waitFor(
      async () => {
        const res = await fetch(`${app.appUrl}/api/diagnoses?code=${app.functionKey}`);
        const body = (await res.json()) as { items: unknown[] };
        return body.items.length > 0 ? true : undefined;
      },
      // A metric alert is diagnosed once its samples are readable (fire time + 30 s): about 90 s into the incident.
      180000,
      'a diagnosis',
    );
    await page.goto(`${app.appUrl}/api/dashboard#diagnoses`, { waitUntil: 'networkidle0' });
    await ready(page, 'diagnoses');
    await page.click('#diagnoses-table tbody a');
    await page.waitForSelector('body[data-ready^="diagnosis/"]');
    const firstRepro = await page.$eval('.repro pre', (p) => p.textContent);
    expect(firstRepro).toMatch(/^(kubectl|az) /);
    // The reproduce line is copyable: the Copy button puts it on the clipboard.
    await browser
      .defaultBrowserContext()
      .overridePermissions(app.appUrl, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    await page.click('.repro button.copy');
    await page.waitForSelector('.repro button.copy[data-copied]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstRepro);
    expect(await page.$eval('h1', (h) => h.textContent)).toMatch(/oom_killed/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-diagnosis');

    // The fleet after the incident (screenshot for the README), then resolve the incident from the simulator view.
    await page.goto(`${app.appUrl}/api/dashboard#`, { waitUntil: 'networkidle0' });
    await ready(page, 'fleet');
    await screenshot(page, 'dashboard-fleet');
    await page.goto(`${app.appUrl}/api/dashboard#simulator`, { waitUntil: 'networkidle0' });
    await ready(page, 'simulator');
    await page.click('#incidents-table tr[data-incident] button');
    await page.waitForFunction(
      () => document.querySelectorAll('#incidents-table tr[data-incident] button').length === 0,
      {
        timeout: 20000,
      },
    );
    const incidents = (await (await fetch(`${app.appUrl}/api/incidents?status=active`)).json()) as { items: unknown[] };
    expect(incidents.items).toEqual([]);

    expect(console.errors).toEqual([]);
    await page.close();
  }, 300000);

  it('the HTML sweep report of the simulated cluster (written during the incident) opens as a page of its own', async () => {
    expect(reportFile).toBeDefined();
    const file = reportFile!;
    const { page, console } = await openPage(pathToFileURL(file).href);
    expect(await page.$eval('.grade', (g) => g.textContent)).toMatch(/^[A-F]$/);
    expect(await page.$$eval('section.ns', (s) => s.length)).toBeGreaterThan(0);
    expect(await page.$$eval('script, link, img, iframe', (e) => e.length)).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'sweep-report', { fullPage: false });
    expect(console.errors).toEqual([]);
    await page.close();
  }, 60000);
});
