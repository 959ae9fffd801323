import { CookieClient, OPERATOR, startConsole, type ConsoleUnderTest } from './console-harness';
import { startTestIssuer, type TestIssuer } from './oidc-issuer';

const AUDIENCE = 'vigil';

describe('OIDC sign-in (authorization code + PKCE against a local issuer; real platform service, Postgres, NATS)', () => {
  let issuer: TestIssuer;
  let consoleUnderTest: ConsoleUnderTest;

  beforeAll(async () => {
    issuer = await startTestIssuer(AUDIENCE);
    consoleUnderTest = await startConsole({
      env: {
        OIDC_ISSUER: issuer.issuer,
        OIDC_CLIENT_ID: issuer.clientId,
        OIDC_CLIENT_SECRET: issuer.clientSecret,
      },
      // The upstream service verifies the access tokens exactly as every Vigil service does.
      upstreamEnv: { OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: issuer.jwksUrl },
    });
    issuer.registerRedirect(`${consoleUnderTest.base}/login/oidc/callback`);
  }, 90_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
    await issuer?.stop();
  });

  const browser = () => new CookieClient(consoleUnderTest.base);

  /** GET /login/oidc: the console's redirect to the issuer's /authorize. */
  async function begin(client: CookieClient, next = '/account'): Promise<string> {
    const answer = await client.get(`/login/oidc?next=${encodeURIComponent(next)}`);
    expect(answer.status).toBe(303);
    const location = answer.headers.get('location') ?? '';
    expect(location.startsWith(`${issuer.issuer}/authorize?`)).toBe(true);
    return location;
  }

  /** The issuer signs the person in and sends the browser back: the console path of that redirect. */
  async function authorize(url: string): Promise<string> {
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location') ?? '');
    expect(back.origin).toBe(consoleUnderTest.base);
    return back.pathname + back.search;
  }

  const sessionCookieLine = (answer: Response) =>
    answer.headers.getSetCookie().find((line) => line.startsWith('vigil_session='));

  it('offers "Sign in with <issuer>" beside the API-key form', async () => {
    const page = await (await browser().get('/login')).text();
    expect(page).toContain(`Sign in with ${new URL(issuer.issuer).host}`);
    expect(page).toContain('href="/login/oidc?next=%2F"');
    expect(page).toContain('name="api_key"');
  });

  it('asks the issuer for a code with PKCE S256, state and nonce at the registered redirect URI', async () => {
    const url = new URL(await begin(browser()));
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(issuer.clientId);
    expect(q.get('redirect_uri')).toBe(`${consoleUnderTest.base}/login/oidc/callback`);
    expect(q.get('scope')).toBe('openid profile email');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The verifier never travels to the issuer's front channel.
    expect(url.toString()).not.toContain('code_verifier');
  });

  it('signs in with the access token: principal and scopes come from the token, the session ends by its expiry', async () => {
    issuer.signInAs({ sub: 'alice', scope: 'audit:read openid' });
    const client = browser();
    const callback = await authorize(await begin(client));
    const answer = await client.get(callback);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/account');
    const maxAge = Number(/Max-Age=(\d+)/.exec(sessionCookieLine(answer) ?? '')?.[1]);
    // The token lives 5 minutes; CONSOLE_SESSION_TTL_MS is 8 hours: the token's end wins.
    expect(maxAge).toBeGreaterThan(240);
    expect(maxAge).toBeLessThanOrEqual(300);
    const page = await (await client.get('/account')).text();
    expect(page).toContain('oidc:alice');
    expect(page).toContain('audit:read');
    expect(page).toContain('href="/audit"');
    // The cookie of the sign-in under way is gone once it is used.
    expect(client.cookie('vigil_oidc')).toBeUndefined();
  });

  it('refuses a code obtained with another PKCE verifier (code injection): the issuer will not exchange it', async () => {
    issuer.signInAs({ sub: 'mallory', scope: 'audit:read' });
    const victim = browser();
    const attacker = browser();
    const victimCallback = new URL(await authorize(await begin(victim)), consoleUnderTest.base);
    const attackerCallback = new URL(await authorize(await begin(attacker)), consoleUnderTest.base);
    // The victim's own state (it passes the state check) with the attacker's code.
    victimCallback.searchParams.set('code', attackerCallback.searchParams.get('code') ?? '');
    const refusedBefore = issuer.exchanges.refused.length;
    const answer = await victim.get(victimCallback.pathname + victimCallback.search);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('refused the sign-in code (invalid_grant)');
    expect(sessionCookieLine(answer)).toBeUndefined();
    expect(issuer.exchanges.refused.slice(refusedBefore)).toEqual([
      'code_verifier does not match code_challenge',
    ]);
  });

  it("refuses a callback carrying another browser's state, without asking the issuer for tokens", async () => {
    issuer.signInAs({ sub: 'mallory', scope: 'audit:read' });
    const attacker = browser();
    const attackerCallback = await authorize(await begin(attacker));
    const victim = browser();
    await begin(victim); // the victim has a sign-in of its own under way
    const before = { ...issuer.exchanges, refused: issuer.exchanges.refused.length };
    const answer = await victim.get(attackerCallback);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('state mismatch');
    expect(sessionCookieLine(answer)).toBeUndefined();
    expect({ granted: issuer.exchanges.granted, refused: issuer.exchanges.refused.length }).toEqual({
      granted: before.granted,
      refused: before.refused,
    });
    // The same answer in the browser that started it signs in: the refusal was the state's doing.
    expect((await attacker.get(attackerCallback)).status).toBe(303);
  });

  it('refuses a replayed ID token (its nonce belongs to an earlier sign-in) and a replayed callback', async () => {
    issuer.signInAs({ sub: 'alice', scope: 'audit:read' });
    const first = browser();
    const firstCallback = await authorize(await begin(first));
    const oidcCookie = first.cookie('vigil_oidc') ?? '';
    expect((await first.get(firstCallback)).status).toBe(303);
    const earlierIdToken = issuer.idTokens.at(-1) ?? '';

    const second = browser();
    const secondCallback = await authorize(await begin(second));
    issuer.replayIdToken(earlierIdToken);
    const replayed = await second.get(secondCallback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('nonce mismatch');
    expect(sessionCookieLine(replayed)).toBeUndefined();

    // The first browser's callback again, with the cookie it had: the pending login was used up.
    const again = browser();
    again.setCookie('vigil_oidc', oidcCookie);
    const answer = await again.get(firstCallback);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('already used or has expired');
    expect(sessionCookieLine(answer)).toBeUndefined();
  });

  it('sends a browser whose session ended to sign in with "your session ended", clearing its cookie', async () => {
    const laptop = browser();
    const phone = browser();
    await laptop.login(OPERATOR.key);
    await phone.login(OPERATOR.key);
    expect((await phone.get('/account')).status).toBe(200);
    const out = await laptop.postForm('/logout/everywhere', { _csrf: await laptop.csrf() });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?ended=everywhere');
    expect(laptop.cookie('vigil_session')).toBeUndefined();

    const ended = await phone.get('/account');
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe('/login?next=%2Faccount&ended=1');
    expect(sessionCookieLine(ended)).toMatch(/^vigil_session=; .*Max-Age=0/);
    expect(phone.cookie('vigil_session')).toBeUndefined();
    const login = await (await phone.get('/login?next=%2Faccount&ended=1')).text();
    expect(login).toContain('Your session ended. Please sign in again.');
    // A script asking for JSON gets the same reason.
    phone.setCookie('vigil_session', 'B'.repeat(43));
    const api = await phone.get('/account', { accept: 'application/json' });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'Unauthorized', message: 'your session ended; sign in again' });
  });
});
