import fs from 'node:fs';
import { randomUUID } from 'node:crypto';

import type { Page } from 'playwright-core';

import { waitFor } from '@vigil/testing';

import {
  AUDIT_READ_KEY,
  auditEvent,
  operatorAuth,
  READ_ONLY_KEY,
  screenshotBothWidths,
  seriousAxeViolations,
  signIn,
  startConsoleSystem,
  type ConsoleSystem,
} from './console-system';

const WALLET = `wallet-${randomUUID().slice(0, 8)}`;
const XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>';

/** The auditor's way through the console: search a wallet's accesses, open one, see it verified, export it. */
describe('auditor in Chromium (built services and console, real NATS and Postgres)', () => {
  let cs: ConsoleSystem;
  const accesses = [
    auditEvent({
      action: 'wallet.settings.viewed',
      resource: { type: 'wallet', id: WALLET },
      metadata: { note: XSS },
    }),
    auditEvent({
      action: 'wallet.settings.viewed',
      resource: { type: 'wallet', id: WALLET },
      actor: { type: 'admin', id: 'admin-2' },
    }),
    auditEvent({
      action: 'wallet.settings.viewed',
      resource: { type: 'wallet', id: WALLET },
      outcome: 'denied',
    }),
  ];

  const economyEdit = auditEvent({
    action: 'admin.economy_field.changed',
    resource: { type: 'user_profile', id: 'p-9' },
    changes: { deltacoin_balance: { before: 10, after: 90_000 } },
  });

  const auditApi = async <T>(path: string): Promise<T> => {
    const answer = await fetch(cs.system.services.audit.url + path, { headers: operatorAuth });
    if (!answer.ok) throw new Error(`GET ${path}: ${answer.status}`);
    return (await answer.json()) as T;
  };

  beforeAll(async () => {
    cs = await startConsoleSystem({ envFor: { audit: { AUDIT_MERKLE_INTERVAL_MS: '200' } } });
    const answer = await fetch(`${cs.system.services.audit.url}/audit/v1/events`, {
      method: 'POST',
      headers: { ...operatorAuth, 'content-type': 'application/json' },
      body: JSON.stringify([...accesses, economyEdit]),
    });
    expect(answer.status).toBe(202);
    await waitFor(
      async () => (await auditApi<{ count: number }>(`/audit/events?resource_id=${WALLET}`)).count === 3,
      { timeoutMs: 60_000, description: 'the wallet accesses stored' },
    );
  }, 240_000);

  afterAll(async () => {
    await cs?.stop();
  });

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, name);
  }

  it('searches a wallet’s accesses, opens one verified, exports the search as CSV', async () => {
    const context = await cs.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, AUDIT_READ_KEY, '/audit');
    expect(new URL(page.url()).pathname).toBe('/audit');

    await page.getByLabel('Resource type').fill('wallet');
    await page.getByLabel('Resource id').fill(WALLET);
    await page.getByLabel('Resource id').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('resource_id') === WALLET);
    const rows = page.locator('table.audit-results tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('table.audit-results caption').innerText()).toContain('3 events');
    await expectAccessible(page, 'audit-search');

    // The search went to the audit service with the auditor's own key: it is recorded under their name.
    const reads = await waitFor(async () => {
      const found = await auditApi<{
        events: { event: { actor: { id: string }; metadata?: { filters?: Record<string, unknown> } } }[];
      }>('/audit/events?action=audit.events.read&actor=e2e&limit=100');
      return found.events.find((e) => e.event.metadata?.filters?.['resource_id'] === WALLET);
    });
    expect(reads?.event.actor.id).toBe('e2e');

    // Open the access carrying hostile metadata: shown as text, verified against a signed checkpoint.
    await page.locator(`a[href="/audit/events/${accesses[0].id}"]`).click();
    await page.waitForURL((url) => url.pathname === `/audit/events/${accesses[0].id}`);
    await waitFor(
      async () => {
        if ((await page.locator('.proof-verdict strong', { hasText: 'Verified' }).count()) === 1) return true;
        await page.reload();
        return false;
      },
      { timeoutMs: 20_000, description: 'the event verified in its log' },
    );
    expect(await page.locator('.proof-verdict').innerText()).toMatch(
      /Verified up to checkpoint \d+ of the security log, signed/,
    );
    expect(await page.locator('pre.metadata').innerText()).toContain(XSS.replace(/"/g, '\\"'));
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await expectAccessible(page, 'audit-event');

    // Export the search as the browser downloads it, and read its rows.
    await page.goto(`/audit?resource_type=wallet&resource_id=${WALLET}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const file = await download.path();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('received_at,occurred_at,id,')).toBe(true);
    expect(lines).toHaveLength(4);
    for (const access of accesses) expect(lines.some((line) => line.includes(access.id))).toBe(true);
    expect(lines.some((line) => line.includes(',denied,'))).toBe(true);
    await context.close();
  });

  it('runs a chain verification from the verify page', async () => {
    const context = await cs.newContext();
    const page = await context.newPage();
    await signIn(page, AUDIT_READ_KEY, '/audit/verify');
    await expectAccessible(page, 'audit-verify-form');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((url) => url.searchParams.get('run') === '1');
    expect(await page.locator('.verify-verdict').innerText()).toContain('Intact');
    await expectAccessible(page, 'audit-verify');
    await context.close();
  });

  it('lists detections with links to their events, and opens the monthly privacy report', async () => {
    const run = await fetch(`${cs.system.services.reporting.url}/reports/monthly-privacy-audit/run`, {
      method: 'POST',
      headers: operatorAuth,
    });
    expect(run.status).toBe(201);
    const { report_run_id: runId } = (await run.json()) as { report_run_id: string };
    const context = await cs.newContext();
    const page = await context.newPage();
    // A read-only key that reporting accepts too (the archived reports are reporting's).
    await signIn(page, READ_ONLY_KEY, '/audit/detections');
    await waitFor(
      async () => {
        if ((await page.locator(`a[href="/audit/events/${economyEdit.id}"]`).count()) === 1) return true;
        await page.reload();
        return false;
      },
      { timeoutMs: 20_000, description: 'the economy edit detected' },
    );
    expect(await page.locator('tbody tr', { hasText: 'Economy field edits' }).count()).toBe(1);
    await expectAccessible(page, 'audit-detections');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/audit/privacy-report/${runId}`)),
      page.locator(`a[href="/audit/privacy-report/${runId}"]`).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toContain('sandbox');
    expect((await page.locator('body').innerText()).toLowerCase()).toContain('privacy');
    await context.close();
  });
});
