import { CookieClient, OPERATOR, startConsole, type ConsoleUnderTest } from './console-harness';

const IDLE_MS = 10_000;

describe('an idle console session (CONSOLE_SESSION_IDLE_MS, real platform service, Postgres, NATS)', () => {
  let consoleUnderTest: ConsoleUnderTest;

  beforeAll(async () => {
    consoleUnderTest = await startConsole({ env: { CONSOLE_SESSION_IDLE_MS: String(IDLE_MS) } });
  }, 90_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
  });

  it('ends after the idle limit and sends the person to sign in with "your session ended"', async () => {
    const browser = new CookieClient(consoleUnderTest.base);
    await browser.login(OPERATOR.key);
    expect((await browser.get('/account')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS + 500));
    const ended = await browser.get('/account');
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe('/login?next=%2Faccount&ended=1');
    expect(browser.cookie('vigil_session')).toBeUndefined();
    const login = await browser.get(ended.headers.get('location') ?? '');
    expect(await login.text()).toContain('Your session ended. Please sign in again.');
  }, 60_000);
});
