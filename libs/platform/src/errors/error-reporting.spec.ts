import type { ErrorEvent } from '@sentry/node';

import { ErrorReporting, scrubBreadcrumb, scrubEvent } from './error-reporting';

describe('error reporting scrubbers', () => {
  it('scrubs an event like any value and keeps the ids the protocol needs', () => {
    const event: ErrorEvent = {
      type: undefined,
      event_id: '0123456789abcdef0123456789abcdef',
      exception: {
        values: [{ type: 'Error', value: 'login of jane.doe@example.com with password=hunter22' }],
      },
      extra: { authorization: 'Bearer abc.def.ghi' },
    };
    const scrubbed = scrubEvent(event);
    expect(scrubbed.event_id).toBe(event.event_id);
    expect(scrubbed.exception?.values?.[0].value).toBe('login of [REDACTED:email] with password=[REDACTED]');
    expect(JSON.stringify(scrubbed)).not.toMatch(/jane\.doe|hunter22|abc\.def\.ghi/);
    // The input is left as it was (the SDK may still hold it).
    expect(event.exception?.values?.[0].value).toContain('jane.doe@example.com');
  });

  it('scrubs breadcrumbs', () => {
    expect(
      scrubBreadcrumb({
        category: 'http',
        message: 'GET /users?email=jane.doe@example.com',
        data: { token: 'x1' },
      }),
    ).toEqual({
      category: 'http',
      message: 'GET /users?email=[REDACTED:email]',
      data: { token: '[REDACTED]' },
    });
  });

  it('starts nothing without a DSN', () => {
    expect(
      ErrorReporting.start({ dsn: undefined, service: 'audit', release: '1', environment: 'test' }),
    ).toBeNull();
    expect(ErrorReporting.active()).toBeNull();
  });
});
