import type { Page } from 'playwright-core';

import {
  OPERATOR_KEY,
  READ_ONLY_KEY,
  screenshotBothWidths,
  seriousAxeViolations,
  signIn,
  startConsoleSystem,
  type ConsoleSystem,
} from './console-system';

describe('console shell in Chromium (built services and console, real NATS and Postgres)', () => {
  let cs: ConsoleSystem;

  beforeAll(async () => {
    cs = await startConsoleSystem();
  }, 180_000);

  afterAll(async () => {
    await cs?.stop();
  });

  it('signs in with the keyboard alone and reaches every section the key allows', async () => {
    const context = await cs.newContext();
    const page = await context.newPage();
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.keyboard.press('Tab'); // the skip link comes first
    await signIn(page, OPERATOR_KEY, '/account');
    expect(new URL(page.url()).pathname).toBe('/account');
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Alerts', 'Silences', 'Targets', 'Errors', 'Audit', 'Reports']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshotBothWidths(page, 'account');
    await context.close();
  });

  it('shows a read-only key only what it can read, and signs out for good', async () => {
    const context = await cs.newContext();
    const page: Page = await context.newPage();
    await signIn(page, READ_ONLY_KEY, '/account');
    const text = await page.locator('main').innerText();
    expect(text).toContain('e2e-viewer');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'vigil_session');
    expect(session?.httpOnly).toBe(true);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    // The old cookie, put back by hand (as a thief would), opens nothing.
    await context.addCookies([{ ...session!, expires: -1 }]);
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  });
});
