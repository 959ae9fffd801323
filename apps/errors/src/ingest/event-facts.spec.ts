import { eventFacts } from './event-facts';

const receivedAt = new Date('2026-03-01T12:00:00Z');

describe('eventFacts', () => {
  it('reads level, release, environment, timestamp, user and alert inputs', () => {
    const facts = eventFacts(
      '2',
      {
        level: 'fatal',
        release: 'profile@1.4.0',
        environment: 'production',
        timestamp: 1772366400.5,
        logger: 'django.request',
        user: { id: 'a1b2' },
        tags: [
          ['server.role', 'web'],
          ['handled', false],
        ],
        exception: { values: [{ type: 'PrivacySettings.DoesNotExist', module: 'profile.models' }] },
      },
      receivedAt,
    );
    expect(facts).toMatchObject({
      level: 'fatal',
      release: 'profile@1.4.0',
      environment: 'production',
      occurred_at: new Date(1772366400500),
      alert: {
        exception_types: ['PrivacySettings.DoesNotExist', 'profile.models.PrivacySettings.DoesNotExist'],
        logger: 'django.request',
        tags: { 'server.role': 'web', handled: 'false' },
      },
    });
    expect(facts.user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(facts.user_hash).not.toBe(eventFacts('1', { user: { id: 'a1b2' } }, receivedAt).user_hash);
  });

  it('falls back for what is missing or odd', () => {
    const facts = eventFacts('1', { level: 'loud', timestamp: 'yesterday', tags: { ok: 'x' } }, receivedAt);
    expect(facts).toMatchObject({
      level: 'error',
      release: null,
      environment: null,
      occurred_at: receivedAt,
      user_hash: null,
      alert: { exception_types: [], logger: null, tags: { ok: 'x' } },
    });
  });
});
