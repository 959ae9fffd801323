import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import {
  OPERATOR_KEY,
  startSystem,
  VIEWER_KEY,
  type StartSystemOptions,
  type VigilSystem,
} from '@vigil/e2e/system';
import { repoRoot } from '@vigil/testing';

export {
  AUDIT_READ_KEY,
  OPERATOR_KEY,
  VIEWER_KEY,
  operatorAuth,
  publishAuditEvent,
  auditEvent,
} from '@vigil/e2e/system';

/** Debian's Chromium; never a browser a library downloads (no network here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots are kept for people to look at (issue 20: desktop and phone width). */
export const SCREENSHOT_DIR = path.join(repoRoot(), '.data', 'console', 'screenshots');

export const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

export interface ConsoleSystem {
  system: VigilSystem;
  /** http://127.0.0.1:<port> of the console */
  consoleUrl: string;
  browser: Browser;
  /** A fresh browser profile (own cookies) at desktop width. */
  newContext(viewport?: keyof typeof VIEWPORTS): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/** The five built services and the console as processes (real NATS, Postgres, SMTP), and headless Chromium. */
export async function startConsoleSystem(options: StartSystemOptions = {}): Promise<ConsoleSystem> {
  const system = await startSystem({ ...options, console: true });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // The machine has no network beyond loopback: without these Chromium keeps dialling out.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
  } catch (error) {
    await system.stop();
    throw error;
  }
  const consoleUrl = system.console?.url ?? '';
  return {
    system,
    consoleUrl,
    browser,
    newContext: (viewport = 'desktop') =>
      browser.newContext({ baseURL: consoleUrl, viewport: VIEWPORTS[viewport], acceptDownloads: true }),
    async stop() {
      await browser.close().catch(() => undefined);
      await system.stop();
    },
  };
}

/** Signs in through the login form with the keyboard, as a person would; lands on the console's first page. */
export async function signIn(page: Page, key: string = OPERATOR_KEY, next?: string): Promise<void> {
  await page.goto(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('API key').fill(key);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export { VIEWER_KEY as READ_ONLY_KEY };

/** Saves `<name>-<viewport>.png` of the whole page under .data/console/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  const kind = size !== null && size.width <= VIEWPORTS.phone.width ? 'phone' : 'desktop';
  const file = path.join(SCREENSHOT_DIR, `${name}-${kind}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Screenshots of the page at desktop and phone width (the same page reloaded at each size). */
export async function screenshotBothWidths(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const viewport of ['desktop', 'phone'] as const) {
    await page.setViewportSize(VIEWPORTS[viewport]);
    await page.reload();
    files.push(await screenshot(page, name));
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  return files;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not
 * govern) and returns the serious and critical violations: the tests expect none.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
