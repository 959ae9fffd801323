import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { Page } from 'playwright-core';

import { ERRORS_PROJECTS } from '@vigil/e2e/system';
import { waitFor } from '@vigil/testing';

import {
  OPERATOR_KEY,
  operatorAuth,
  screenshot,
  screenshotBothWidths,
  seriousAxeViolations,
  signIn,
  startConsoleSystem,
  type ConsoleSystem,
} from './console-system';

const execFileAsync = promisify(execFile);

/**
 * A real exception reported by Debian's unmodified sentry-sdk 1.9, with markup in its message and a tag: the
 * console must show both as text (a script that ran would set window.pwned).
 */
const RAISE_WITH_SENTRY = `
import sys, sentry_sdk
sentry_sdk.init(dsn=sys.argv[1], release="shop@2.0.0", environment="production")
sentry_sdk.set_tag("coupon", "<img src=x onerror=window.pwned=1>")
try:
    raise ValueError("coupon <script>window.pwned=1</script> rejected")
except ValueError as error:
    sentry_sdk.capture_exception(error)
sentry_sdk.flush(10)
`;

describe('team lead in Chromium: targets, an error issue, reports (built services and console)', () => {
  let cs: ConsoleSystem;
  let page: Page;

  beforeAll(async () => {
    cs = await startConsoleSystem();
    const context = await cs.newContext();
    page = await context.newPage();
    await signIn(page, OPERATOR_KEY, '/targets');
  }, 180_000);

  afterAll(async () => {
    await cs?.stop();
  });

  /** Reloads `path` until `text` shows (the services fill in as checks and events arrive). */
  const openWhenShown = (path: string, text: string) =>
    waitFor(
      async () => {
        await page.goto(path);
        return (await page.locator('main').innerText()).includes(text);
      },
      { timeoutMs: 30_000, intervalMs: 500, description: `"${text}" on ${path}` },
    );

  it('sees every target with its state and uptime, and one target with its recent results', async () => {
    await openWhenShown('/targets', '100.00 %');
    const table = page.getByRole('table', { name: /Every checked target/ });
    for (const name of ['audit', 'alerting', 'reporting', 'errors'])
      await expect(table.getByRole('link', { name, exact: true }).count()).resolves.toBe(1);
    expect(await table.getByText('up', { exact: true }).count()).toBeGreaterThanOrEqual(4);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'targets');
    await table.getByRole('link', { name: 'alerting', exact: true }).click();
    await page.waitForURL('**/targets/alerting');
    await expect(page.getByRole('heading', { name: 'Recent results' }).isVisible()).resolves.toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'target');
  });

  it('opens an error issue raised by sentry-sdk, its markup shown as text, and resolves it', async () => {
    const { id, key } = ERRORS_PROJECTS.python;
    const dsn = `${cs.system.services.errors.url.replace('http://', `http://${key}@`)}/${id}`;
    await execFileAsync('/usr/bin/python3', ['-c', RAISE_WITH_SENTRY, dsn], { timeout: 60_000 });
    await openWhenShown('/errors', 'ValueError');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'errors');
    await page.getByRole('link', { name: /ValueError: coupon/ }).click();
    await page.waitForURL(/\/errors\/\d+$/);
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    expect(heading).toBe('ValueError: coupon <script>window.pwned=1</script> rejected');
    expect(await page.locator('main').innerText()).toContain('<img src=x onerror=window.pwned=1>');
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'error-issue');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.waitForURL(/notice=Issue%20resolved/);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Issue resolved');
    expect(await page.locator('dl.facts dd').first().innerText()).toBe('resolved');
    await expect(page.getByRole('button', { name: 'Reopen' }).isVisible()).resolves.toBe(true);
  });

  it('opens the reports archive, sees MTTA and MTTR, and dry-runs the weekly report', async () => {
    const alerting = cs.system.services.alerting.url;
    const headers = { 'content-type': 'application/json', ...operatorAuth };
    const labels = { alertname: 'CheckoutSlow', severity: 'high', service: 'shop' };
    const posted = await fetch(`${alerting}/api/v2/alerts`, {
      method: 'POST',
      headers,
      body: JSON.stringify([{ labels }]),
    });
    expect(posted.status).toBe(200);
    const fingerprint = await waitFor(async () => {
      const alerts = (await (
        await fetch(`${alerting}/api/v2/alerts?filter=alertname%3DCheckoutSlow`, { headers })
      ).json()) as {
        fingerprint: string;
      }[];
      return alerts[0]?.fingerprint;
    });
    const ack = await fetch(`${alerting}/api/v2/alerts/${fingerprint}/ack`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ who: 'team-lead' }),
    });
    expect(ack.status).toBe(200);

    await page.goto('/reports');
    const figures = page.locator('dl.lead-figures');
    expect(await figures.locator('dt').first().innerText()).toBe('MTTA');
    expect(await figures.locator('dd').first().innerText()).toMatch(/^\d+s mean time to acknowledge$/);
    expect(await page.getByRole('table', { name: /Noisiest alerts/ }).innerText()).toContain('CheckoutSlow');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'reports');

    await page.getByLabel('Report', { exact: true }).selectOption('weekly');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.waitForLoadState('load');
    const report = await page.locator('body').innerText();
    expect(report).toContain('MTTA');
    expect(report).toContain('MTTR');
    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'report-dry-run');
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe('/reports');
  });
});
