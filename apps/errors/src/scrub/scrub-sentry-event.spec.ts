import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createRedactor } from '@vigil/redaction';
import fc from 'fast-check';

import { hashUserId, scrubSentryEvent } from './scrub-sentry-event';
import { sentryEventRedactionPolicy } from './sentry-redaction-policy';
import type { SentryEventStored } from './sentry-event';

const FIXTURES = join(__dirname, 'fixtures');
const planted = JSON.parse(readFileSync(join(FIXTURES, 'planted.json'), 'utf8')) as Record<string, string>;
const fixtureNames = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json') && name !== 'planted.json')
  .map((name) => name.slice(0, -'.json'.length));
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;

/** Each planted value as it may be written: as is, URL-encoded, and (phones) without the plus. */
function writtenForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value)]);
  if (value.startsWith('+')) forms.add(value.slice(1));
  return [...forms];
}

function leaks(json: string): string[] {
  return Object.entries(planted).flatMap(([name, value]) =>
    writtenForms(value)
      .filter((form) => json.includes(form))
      .map((form) => `${name}: ${form}`),
  );
}

describe('scrubSentryEvent on events python3-sentry-sdk 1.9 sent', () => {
  const redactor = createRedactor(sentryEventRedactionPolicy());

  it('has fixtures that hold the planted values before scrubbing (so a clean output means something)', () => {
    const all = fixtureNames.map((name) => JSON.stringify(fixture(name))).join('\n');
    expect(fixtureNames.length).toBeGreaterThanOrEqual(11);
    expect(leaks(all).sort()).toEqual(
      expect.arrayContaining([
        'email: rahim.uddin@example.com',
        'phone: +8801712345678',
        'wallet_account: 123456789012',
        'real_name: Rahim Uddin',
        'password: hunter2-Correct-Horse',
        'session_cookie: k3j4h5g6f7d8s9a0qwertyuiopzxcvbn',
        'emergency_contact: Karim Chowdhury',
      ]),
    );
  });

  it.each(fixtureNames)('%s: no planted value survives anywhere in the scrubbed JSON', (name) => {
    const { event } = scrubSentryEvent(fixture(name), redactor);
    expect(leaks(JSON.stringify(event))).toEqual([]);
  });

  it.each(fixtureNames)('%s: what grouping reads survives', (name) => {
    const raw = fixture(name) as SentryEventStored;
    const { event } = scrubSentryEvent(raw, redactor);
    for (const [i, exception] of (raw.exception?.values ?? []).entries()) {
      const scrubbed = event.exception?.values[i];
      expect(scrubbed?.type).toBe(exception.type);
      const frames = (exception.stacktrace?.frames ?? []).map(({ module, function: fn, lineno, in_app }) => ({
        module,
        function: fn,
        lineno,
        in_app,
      }));
      expect(
        (scrubbed?.stacktrace?.frames ?? []).map(({ module, function: fn, lineno, in_app }) => ({
          module,
          function: fn,
          lineno,
          in_app,
        })),
      ).toEqual(frames);
    }
    for (const field of ['event_id', 'level', 'platform', 'release', 'environment', 'logger', 'timestamp'])
      expect(event[field]).toEqual(raw[field]);
    expect(event.modules).toEqual(raw.modules);
  });

  it('keeps the Django request useful: method, path, harmless headers and cookies, form field names', () => {
    const { event } = scrubSentryEvent(fixture('django-privacy-pii'), redactor);
    const request = event.request as Record<string, Record<string, unknown> | string>;
    expect(request.method).toBe('POST');
    expect(request.url).toMatch(/\/profile\/privacy\/$/);
    expect(request.query_string).toContain('uid=4411');
    const headers = request.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(headers.Authorization).not.toContain(planted.api_token);
    expect(headers.Cookie).toContain('theme=dark');
    expect((request.cookies as Record<string, string>).theme).toBe('dark');
    expect(Object.keys(request.data as Record<string, unknown>).sort()).toEqual([
      'email',
      'full_name',
      'password',
      'phone',
    ]);
  });

  it('scrubs locals by name and by value, and user paths in abs_path', () => {
    const { event } = scrubSentryEvent(fixture('django-privacy-pii'), redactor);
    const frames = event.exception?.values[0].stacktrace?.frames ?? [];
    const view = frames.find((frame) => frame.function === 'privacy_view');
    expect(view?.vars?.password).toBe('[REDACTED]');
    expect(view?.abs_path).toMatch(/^\/home\/\[REDACTED:user_path\]\/profile_app\/profiles\/views\.py$/);
    expect(view?.filename).toBe('profiles/views.py');
  });

  it('records which rules fired and how often, never the values', () => {
    const { rules } = scrubSentryEvent(fixture('django-privacy-pii'), redactor);
    expect(rules.email).toBeGreaterThanOrEqual(3);
    expect(rules.secret).toBeGreaterThanOrEqual(2);
    expect(rules['user.email']).toBe(1);
    expect(rules['user.ip_address']).toBe(1);
    expect(rules['user.username']).toBe(1);
    expect(leaks(JSON.stringify(rules))).toEqual([]);
  });

  it('keeps user.id, drops e-mail, name, username and IP by default; sendDefaultPii lets only username and IP through the redactor', () => {
    const user = {
      id: 4411,
      email: planted.email,
      name: planted.real_name,
      username: 'rahim_u',
      ip_address: planted.client_ip,
      segment: 'paid',
    };
    expect(scrubSentryEvent({ user }, redactor).event.user).toEqual({ id: '4411', segment: 'paid' });
    const withPii = scrubSentryEvent({ user }, redactor, { sendDefaultPii: true }).event.user;
    expect(withPii).toEqual({
      id: '4411',
      username: 'rahim_u',
      ip_address: '[REDACTED:ipv4]',
      segment: 'paid',
    });
  });

  it('hashes user.id with the project key: the same user stays countable, the id unreadable', () => {
    const key = 'k'.repeat(32);
    const a = scrubSentryEvent({ user: { id: '4411' } }, redactor, { userIdHashKey: key }).event.user?.id;
    const b = scrubSentryEvent({ user: { id: 4411 } }, redactor, { userIdHashKey: key }).event.user?.id;
    const c = scrubSentryEvent({ user: { id: '98' } }, redactor, { userIdHashKey: key }).event.user?.id;
    expect(a).toMatch(/^\[HASH:user_id:[a-p]{16}\]$/);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toBe(hashUserId(key, '4411'));
  });

  it('scrubs request forms SDKs send: query pairs, header pairs, cookie strings, string bodies', () => {
    const { event } = scrubSentryEvent(
      {
        request: {
          url: `https://app.example.com/u?email=${planted.email}`,
          query_string: [
            ['email', planted.email],
            ['page', '2'],
          ],
          headers: [
            ['Authorization', `Bearer ${planted.api_token}`],
            ['Accept', 'text/html'],
          ],
          cookies: `sessionid=${planted.session_cookie}; theme=dark`,
          data: `password=${planted.password}&phone=${encodeURIComponent(planted.phone)}`,
          env: { REMOTE_ADDR: planted.client_ip },
        },
        tags: [
          ['customer_email', planted.email],
          ['view', 'privacy'],
        ],
      },
      redactor,
    );
    expect(leaks(JSON.stringify(event))).toEqual([]);
    expect(JSON.stringify(event)).toContain('["page","2"]');
    expect(JSON.stringify(event)).toContain('["view","privacy"]');
    expect(JSON.stringify(event)).toContain('theme=dark');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 8 }), (anything, json) => {
        for (const input of [anything, json, { exception: json, user: anything, breadcrumbs: json }]) {
          const { event, rules } = scrubSentryEvent(input, redactor);
          expect(typeof event).toBe('object');
          expect(typeof rules).toBe('object');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('removes a planted value wherever a random event holds it', () => {
    const field = fc.constantFrom(
      'extra',
      'contexts',
      'tags',
      'request',
      'breadcrumbs',
      'logentry',
      'unknown_field',
    );
    const carrier = fc.constantFrom(
      `mail ${planted.email}`,
      `call ${planted.phone}`,
      `password=${planted.password}`,
      `sessionid=${planted.session_cookie}`,
      `account ${planted.wallet_account}`,
    );
    fc.assert(
      fc.property(field, carrier, fc.jsonValue({ maxDepth: 4 }), (name, text, noise) => {
        const event = {
          [name]: { noise, values: [noise, { note: text }], note: text },
          exception: {
            values: [
              {
                type: 'X',
                value: text,
                stacktrace: { frames: [{ function: 'f', vars: { a: noise, b: text } }] },
              },
            ],
          },
        };
        const json = JSON.stringify(scrubSentryEvent(event, redactor).event);
        expect(leaks(json)).toEqual([]);
        expect(json).toContain('"type":"X"');
      }),
      { numRuns: 200 },
    );
  });

  it('bounds the work on a hostile event: 100,000 frames and breadcrumbs, deep vars', () => {
    let deep: Record<string, unknown> = { leaf: planted.email };
    for (let i = 0; i < 5_000; i++) deep = { next: deep };
    const frames = Array.from({ length: 100_000 }, (_, i) => ({ function: `f${i}`, vars: { x: i } }));
    frames[0].vars = deep as { x: number };
    const started = process.hrtime.bigint();
    const { event } = scrubSentryEvent(
      {
        exception: { values: [{ type: 'RecursionError', stacktrace: { frames } }] },
        breadcrumbs: Array.from({ length: 100_000 }, (_, i) => ({ message: `crumb ${i}` })),
      },
      redactor,
    );
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
    expect(event.exception?.values[0].stacktrace?.frames).toHaveLength(250);
    expect((event.breadcrumbs as { values: unknown[] }).values).toHaveLength(100);
    expect(JSON.stringify(event)).not.toContain(planted.email);
  });
});
