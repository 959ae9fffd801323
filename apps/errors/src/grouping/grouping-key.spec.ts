import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { createRedactor } from '@vigil/redaction';
import fc from 'fast-check';

import { scrubSentryEvent, type SentryEventStored, sentryEventRedactionPolicy } from '../scrub';
import { isAppFrame, normaliseFilename } from './frame-filename';
import { GROUPING_VERSION, groupingKey } from './grouping-key';

const redactor = createRedactor(sentryEventRedactionPolicy());
const FIXTURES = join(__dirname, '..', 'scrub', 'fixtures');
const raw = (name: string): SentryEventStored =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as SentryEventStored;
/** Grouping reads the stored event, i.e. the scrubbed one. */
const stored = (event: unknown): SentryEventStored => scrubSentryEvent(event, redactor).event;
const key = (event: unknown): ReturnType<typeof groupingKey> => groupingKey(stored(event));
const fixtureKey = (name: string): ReturnType<typeof groupingKey> => key(raw(name));

describe('groupingKey', () => {
  it('groups one Django bug hit by different users, with and without send_default_pii, as one issue', () => {
    const keys = [
      'django-privacy-pii',
      'django-privacy-pii-other-user',
      'django-privacy',
      'django-privacy-other-user',
    ].map(fixtureKey);
    expect(new Set(keys.map((k) => k.fingerprint)).size).toBe(1);
    expect(keys[0]).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      grouping_version: GROUPING_VERSION,
      kind: 'exception',
      title: 'PrivacySettings.DoesNotExist: PrivacySettings matching query does not exist.',
      culprit: 'profiles.views in load_privacy',
    });
    expect(GROUPING_VERSION).toBe('vigil-1');
  });

  it('tells different bugs apart', () => {
    const privacy = fixtureKey('django-privacy');
    const wallet = fixtureKey('django-wallet-json');
    expect(wallet.fingerprint).not.toBe(privacy.fingerprint);
    expect(wallet.title).toMatch(/^ValueError: Wallet payout failed for account /);
    expect(wallet.culprit).toBe('profiles.views in wallet_view');
  });

  it('ignores line numbers, and library frames when the app has frames of its own', () => {
    const event = raw('django-privacy');
    const moved = structuredClone(event);
    for (const frame of moved.exception?.values[0].stacktrace?.frames ?? []) {
      frame.lineno = (frame.lineno ?? 0) + 7;
      if (frame.module?.startsWith('django.')) frame.function = `${frame.function}_renamed_in_django_4`;
    }
    expect(key(moved).fingerprint).toBe(key(event).fingerprint);
    // A change in the app's own frames is another issue.
    const renamed = structuredClone(event);
    const frames = renamed.exception?.values[0].stacktrace?.frames ?? [];
    frames[frames.length - 1].function = 'load_privacy_v2';
    expect(key(renamed).fingerprint).not.toBe(key(event).fingerprint);
  });

  it('uses all frames when none is the app’s', () => {
    const libraryOnly = (fn: string): unknown => ({
      exception: {
        values: [
          {
            type: 'OperationalError',
            value: 'connection to 10.0.0.5 refused',
            stacktrace: {
              frames: [
                {
                  module: 'psycopg2',
                  function: fn,
                  filename: 'psycopg2/__init__.py',
                  in_app: false,
                  lineno: 1,
                },
              ],
            },
          },
        ],
      },
    });
    expect(key(libraryOnly('connect')).fingerprint).not.toBe(key(libraryOnly('execute')).fingerprint);
    expect(key(libraryOnly('connect')).culprit).toBe('psycopg2 in connect');
  });

  it('groups log messages by their template: User 4411 and User 98 not found are one issue', () => {
    const a = fixtureKey('log-user-4411');
    const b = fixtureKey('log-user-98');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.kind).toBe('message');
    expect([a.title, b.title]).toEqual(['User 4411 not found', 'User 98 not found']);
    expect(a.culprit).toBeNull();
    expect(key({ message: 'User 98 not found' }).fingerprint).toBe(
      key({ message: 'User 4411 not found' }).fingerprint,
    );
    expect(key({ message: 'Order 98 not found' }).fingerprint).not.toBe(a.fingerprint);
  });

  it('groups an exception without frames by its type and parameterised value', () => {
    const error = (value: string, type = 'KeyError'): unknown => ({
      exception: { values: [{ type, value }] },
    });
    expect(key(error('User 4411 not found')).fingerprint).toBe(key(error('User 98 not found')).fingerprint);
    expect(key(error('User 4411 not found')).fingerprint).not.toBe(
      key(error('User 4411 not found', 'LookupError')).fingerprint,
    );
    expect(key(error('User 4411 not found')).title).toBe('KeyError: User 4411 not found');
  });

  it('takes the SDK fingerprint first, and expands {{ default }} to our components', () => {
    const fixed = fixtureKey('fingerprint-fixed');
    expect(fixed.kind).toBe('sdk-fingerprint');
    expect(
      key({ message: 'something else entirely', fingerprint: ['database-unavailable'] }).fingerprint,
    ).toBe(fixed.fingerprint);
    expect(fixed.title).toBe('db down at [REDACTED:ipv4]');

    const withDefault = raw('fingerprint-default');
    const plain = { ...withDefault, fingerprint: undefined };
    const spaced = fixtureKey('fingerprint-default');
    expect(spaced.kind).toBe('sdk-fingerprint');
    expect(spaced.fingerprint).not.toBe(key(plain).fingerprint);
    expect(key({ ...withDefault, fingerprint: ['{{default}}', 'payments'] }).fingerprint).toBe(
      spaced.fingerprint,
    );
    expect(key({ ...withDefault, fingerprint: ['{{ default }}', 'refunds'] }).fingerprint).not.toBe(
      spaced.fingerprint,
    );
    // {{ default }} alone is the default grouping.
    expect(key({ ...withDefault, fingerprint: ['{{ default }}'] })).toEqual({ ...key(plain) });
    // The default part follows the event: another bug with the same extra part is another issue.
    const other = { ...raw('django-wallet-json'), fingerprint: ['{{ default }}', 'payments'] };
    expect(key(other).fingerprint).not.toBe(spaced.fingerprint);
  });

  it('titles a chained exception by the one raised, with what the scrubber left', () => {
    const chained = fixtureKey('chained-runtime-error');
    expect(chained.title).toMatch(/^RuntimeError: payout failed for customer /);
    expect(chained.title).not.toContain('Rahim');
    expect(chained.title).not.toContain('rahim.uddin@example.com');
    expect(chained.culprit).toBe('profiles.views in capture_plain');
  });

  it('never throws on any scrubbed input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.anything({ maxDepth: 5 }), (json, anything) => {
        for (const input of [json, anything, { exception: json, fingerprint: anything, logentry: json }]) {
          const result = key(input);
          expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
          expect(typeof result.title).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('normaliseFilename', () => {
  it.each([
    ['/srv/venv/lib/python3.11/site-packages/django/db/models/query.py', 'django/db/models/query.py'],
    ['/usr/lib/python3/dist-packages/django/db/models/query.py', 'django/db/models/query.py'],
    ['django/db/models/query.pyc', 'django/db/models/query.py'],
    ['/app/node_modules/.pnpm/pg@8.11.3/node_modules/pg/lib/client.js', 'pg/lib/client.js'],
    [
      'https://cdn.example.com/static/js/main.3f9a2b1c.js?v=12#x',
      'https://cdn.example.com/static/js/main.<hash>.js',
    ],
    ['webpack:///src/app.ts:42:13', 'webpack:///src/app.ts'],
    ['/srv/releases/1.4.2/profiles/views.py', '/srv/releases/<version>/profiles/views.py'],
    ['/srv/releases/9fac6d8d9f19/profiles/views.py', '/srv/releases/<hash>/profiles/views.py'],
    ['C:\\Users\\app\\lib\\python3.10\\site-packages\\flask\\app.py', 'flask/app.py'],
    ['profiles/views.py', 'profiles/views.py'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseFilename(input)).toBe(expected);
  });
});

describe('isAppFrame', () => {
  it('trusts in_app: false, and overrides in_app: true for installed packages', () => {
    expect(isAppFrame({ in_app: true, abs_path: '/home/x/app/profiles/views.py' })).toBe(true);
    expect(isAppFrame({ in_app: false, abs_path: '/home/x/app/profiles/views.py' })).toBe(false);
    expect(
      isAppFrame({ in_app: true, abs_path: '/usr/lib/python3/dist-packages/django/core/handlers/base.py' }),
    ).toBe(false);
    expect(isAppFrame({ abs_path: '/usr/lib/python3.11/logging/__init__.py' })).toBe(false);
    expect(isAppFrame({ filename: 'node:internal/process/task_queues' })).toBe(false);
  });
});
