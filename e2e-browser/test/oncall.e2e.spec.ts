import type { Page } from 'playwright-core';

import {
  OPERATOR_KEY,
  operatorAuth,
  READ_ONLY_KEY,
  screenshotBothWidths,
  seriousAxeViolations,
  signIn,
  startConsoleSystem,
  type ConsoleSystem,
} from './console-system';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('on-call flow in Chromium (built alerting and console, real NATS and Postgres)', () => {
  let cs: ConsoleSystem;

  beforeAll(async () => {
    cs = await startConsoleSystem();
  }, 180_000);

  afterAll(async () => {
    await cs?.stop();
  });

  async function fire(alertname: string, severity: string): Promise<void> {
    const answer = await fetch(`${cs.system.services.alerting.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { ...operatorAuth, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname, severity, service: 'checkout', note: HOSTILE },
          annotations: { summary: `${alertname}: payments fail ${HOSTILE}`, runbook: HOSTILE },
        },
      ]),
    });
    expect(answer.status).toBe(200);
  }

  /** The fingerprint of the first alert link of the live list or table named `alertname`. */
  async function fingerprintOf(page: Page, alertname: string): Promise<string> {
    const href = await page.locator('#live-list a', { hasText: alertname }).first().getAttribute('href');
    const fingerprint = href?.split('/').pop();
    if (!fingerprint) throw new Error(`no link to ${alertname}`);
    return fingerprint;
  }

  it('sees a P1 arrive live, acknowledges it, silences its group and expires the silence', async () => {
    await fire('QueueBacklog', 'low');
    const context = await cs.newContext();
    const page = await context.newPage();
    await signIn(page, OPERATOR_KEY, '/alerts');
    expect(new URL(page.url()).pathname).toBe('/alerts');
    await page.locator('#live-state', { hasText: 'Live:' }).waitFor();
    // A marker in the page's memory: still there afterwards means the alert came without a reload.
    await page.evaluate(() => {
      (globalThis as unknown as { noReload: boolean }).noReload = true;
    });
    await fire('CheckoutDown', 'critical');
    const live = page.locator('#live-list li', { hasText: 'CheckoutDown' }).first();
    await live.waitFor({ timeout: 15_000 });
    expect(await live.innerText()).toContain('P1 critical');
    expect(await page.locator('#notice').innerText()).toContain('P1 CheckoutDown fired');
    expect(await page.evaluate(() => (globalThis as unknown as { noReload?: boolean }).noReload)).toBe(true);
    const fingerprint = await fingerprintOf(page, 'CheckoutDown');

    // Reloaded, the list shows it first (P1 before P3), its hostile label as text.
    await page.reload();
    const table = await page.locator('table.alerts').innerText();
    expect(table.indexOf('CheckoutDown')).toBeLessThan(table.indexOf('QueueBacklog'));
    expect(table).toContain(HOSTILE);
    expect(await page.locator('table.alerts img').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'alerts');

    await page.locator(`a[href="/alerts/${fingerprint}"]`).first().click();
    await page.waitForURL(`**/alerts/${fingerprint}`);
    expect(await page.locator('main').innerText()).toContain(`runbook\n${HOSTILE}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'alert-detail');
    await page.getByLabel('Comment (acknowledge)').fill('looking at it');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/notice=Alert%20acknowledged/);
    const detail = await page.locator('main').innerText();
    expect(detail).toContain('acknowledged by e2e-operator');
    expect(detail).toContain('looking at it');

    await page.getByRole('link', { name: "Silence this alert's group…" }).click();
    await page.waitForURL(/\/silences\/new\?from=/);
    expect(await page.getByLabel(/^Matchers/).inputValue()).toContain('alertname="CheckoutDown"');
    expect(await page.locator('#preview-heading').innerText()).toContain('1 firing alert would be silenced');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'silence-new');
    // Its group: every CheckoutDown of the service, whatever the other labels.
    await page.getByLabel(/^Matchers/).fill('alertname="CheckoutDown"\nservice="checkout"');
    await page.getByLabel('4 hours').check();
    await page.getByRole('button', { name: 'Create silence' }).click();
    await page.waitForURL(/\/silences\?notice=Silence/);
    const row = page.locator('tbody tr', { hasText: 'alertname="CheckoutDown"' });
    expect(await row.locator('td').first().innerText()).toBe('active');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: /Expire/ }).click();
    await page.waitForURL(/notice=Silence.*expired/);
    expect(
      await page
        .locator('tbody tr', { hasText: 'alertname="CheckoutDown"' })
        .locator('td')
        .first()
        .innerText(),
    ).toBe('expired');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows a read-only key no write buttons, and alerting refuses its forged acknowledge', async () => {
    await fire('ReadOnlyProbe', 'critical');
    const operator = await cs.newContext();
    const operatorPage = await operator.newPage();
    await signIn(operatorPage, OPERATOR_KEY, '/alerts?text=ReadOnlyProbe');
    const href = await operatorPage
      .locator('table.alerts a', { hasText: 'ReadOnlyProbe' })
      .first()
      .getAttribute('href');
    expect(href).toMatch(/^\/alerts\/[0-9a-f]+$/);
    expect(
      await operatorPage
        .goto(href ?? '')
        .then(() => operatorPage.getByRole('button', { name: 'Acknowledge' }).count()),
    ).toBe(1);
    await operator.close();

    const context = await cs.newContext();
    const page = await context.newPage();
    await signIn(page, READ_ONLY_KEY, href ?? '/alerts');
    expect(await page.locator('h1').innerText()).toBe('ReadOnlyProbe');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Silence this alert/ }).count()).toBe(0);
    // The forged post: a form built in the page with the session's own CSRF token.
    await page.evaluate((action) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      const csrf = document.createElement('input');
      csrf.name = '_csrf';
      csrf.value = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
      form.appendChild(csrf);
      document.body.appendChild(form);
      form.submit();
    }, `${href}/ack`);
    await page.waitForURL(`**${href}/ack`);
    const refused = await page.locator('main').innerText();
    expect(refused).toContain('Not allowed');
    expect(refused).toContain('alerting:');
    await page.goto('/silences');
    expect(await page.getByRole('link', { name: 'New silence' }).count()).toBe(0);
    await context.close();
  });
});
