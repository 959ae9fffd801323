import { CookieClient, OPERATOR, READER, startConsole, type ConsoleUnderTest } from './console-harness';

describe('console sessions (real platform service as audit, real Postgres and NATS)', () => {
  let consoleUnderTest: ConsoleUnderTest;

  beforeAll(async () => {
    consoleUnderTest = await startConsole();
  }, 90_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
  });

  const client = () => new CookieClient(consoleUnderTest.base);

  it('sends a page without a session to sign in, keeping where it was going', async () => {
    const answer = await client().get('/account');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/login?next=%2Faccount');
  });

  it('signs in with a key, shows only what that key reaches, and names the person', async () => {
    const browser = client();
    const login = await browser.login(READER.key, '/account');
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/account');
    expect(browser.cookie('vigil_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await browser.get('/account');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('auditor');
    expect(text).toContain('audit:read');
    expect(text).toContain('href="/audit"');
    expect(text).not.toContain('href="/alerts"');
  });

  it('refuses a key no service accepts, with the reason on the form', async () => {
    const answer = await client().login('not-a-key-anyone-knows');
    expect(answer.status).toBe(401);
    const text = await answer.text();
    expect(text).toContain('No Vigil service accepts this key');
    expect(text).toContain('not reachable: health, alerting, reporting, errors');
  });

  it('refuses a sign-in post without the form token (login CSRF)', async () => {
    const answer = await client().postForm('/login', { api_key: OPERATOR.key, _csrf: 'forged' });
    expect(answer.status).toBe(403);
    expect(answer.headers.getSetCookie().some((c) => c.startsWith('vigil_session='))).toBe(false);
  });

  it('issues a fresh session id at sign-in, whatever cookie the browser brought (no fixation)', async () => {
    const browser = client();
    const planted = 'A'.repeat(43);
    browser.setCookie('vigil_session', planted);
    expect((await browser.get('/account')).status).toBe(303);
    await browser.login(OPERATOR.key);
    expect(browser.cookie('vigil_session')).not.toBe(planted);
    expect((await browser.get('/account')).status).toBe(200);
  });

  it('refuses a write without the CSRF token, and does it with it', async () => {
    const browser = client();
    await browser.login(OPERATOR.key);
    const forged = await browser.postForm('/logout', {});
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('CSRF');
    expect((await browser.get('/account')).status).toBe(200);
    const token = await browser.csrf();
    const out = await browser.postForm('/logout', { _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
  });

  it('refuses a copied cookie once its session signed out', async () => {
    const browser = client();
    await browser.login(OPERATOR.key);
    const stolen = browser.cookie('vigil_session') ?? '';
    const thief = client();
    thief.setCookie('vigil_session', stolen);
    expect((await thief.get('/account')).status).toBe(200);
    await browser.postForm('/logout', { _csrf: await browser.csrf() });
    expect((await thief.get('/account')).status).toBe(303);
  });

  it('serves pages under a strict CSP that forbids framing and inline script', async () => {
    const browser = client();
    await browser.login(OPERATOR.key);
    const page = await browser.get('/account');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const cookieLine = (await client().login(OPERATOR.key)).headers
      .getSetCookie()
      .find((line) => line.startsWith('vigil_session='));
    expect(cookieLine).toMatch(/HttpOnly/);
    expect(cookieLine).toMatch(/SameSite=Lax/);
  });
});
