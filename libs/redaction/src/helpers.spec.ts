import { pinoRedaction, REDACTED, redactError, redactErrorMessage, redactHeaders } from './index';

describe('redactError', () => {
  it('scrubs message, stack, cause and own fields of an Error', () => {
    const cause = new Error('db at postgres://app:pw@db:5432 refused');
    const error = Object.assign(new Error('no user rahim@example.com', { cause }), {
      token: 't',
      code: 'E_USER',
    });
    const out = redactError(error);
    expect(out).toMatchObject({
      name: 'Error',
      message: 'no user [REDACTED:email]',
      code: 'E_USER',
      token: REDACTED,
      cause: { message: 'db at postgres://app:[REDACTED]@db:5432 refused' },
    });
    expect(JSON.stringify(out)).not.toMatch(/rahim|:pw@/);
  });

  it('keeps the inner errors of an AggregateError', () => {
    const out = redactError(new AggregateError([new Error('a@b.io')], 'many'));
    expect(out.errors).toEqual([expect.objectContaining({ message: '[REDACTED:email]' })]);
  });

  it('accepts anything thrown', () => {
    expect(redactError('call +8801712345678')).toEqual({ name: 'Error', message: 'call [REDACTED:phone]' });
    expect(redactErrorMessage(new Error('a@b.io down'))).toBe('[REDACTED:email] down');
    expect(redactErrorMessage({ reason: 'x', password: 'p' })).toBe('{"reason":"x","password":"[REDACTED]"}');
    expect(redactErrorMessage(42)).toBe('42');
  });
});

describe('redactHeaders', () => {
  it('replaces credential headers and scrubs the others, keeping names', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer abc123',
        cookie: 'sid=1',
        'set-cookie': ['a=1; Path=/', 'remember_token=r9; HttpOnly'],
        'x-api-key': 'k',
        referer: 'https://shop.example/?email=a%40b.io',
        'content-length': 12,
        accept: undefined,
      }),
    ).toEqual({
      Authorization: REDACTED,
      // Only the sensitive cookies go: attributes and harmless cookies stay.
      cookie: `sid=${REDACTED}`,
      'set-cookie': ['a=1; Path=/', `remember_token=${REDACTED}; HttpOnly`],
      'x-api-key': REDACTED,
      referer: 'https://shop.example/?email=[REDACTED:email]',
      'content-length': '12',
    });
  });

  it('reads raw header lists and fetch Headers', () => {
    expect(redactHeaders(['Authorization', 'Basic dXNlcjpwYXNz', 'Host', 'a.example'])).toEqual({
      Authorization: REDACTED,
      Host: 'a.example',
    });
    expect(redactHeaders(new Headers({ 'Proxy-Authorization': 'x', 'x-request-id': 'r-1' }))).toEqual({
      'proxy-authorization': REDACTED,
      'x-request-id': 'r-1',
    });
  });
});

describe('pinoRedaction', () => {
  it('redacts merging objects except serialized fields, whose output it redacts instead', () => {
    const raw = { url: '/x?token=abc123', secret: 's' };
    const pino = pinoRedaction({
      serializers: { req: (req: typeof raw) => ({ url: req.url, secret: req.secret }) },
    });
    const logged = pino.formatters.log({ req: raw, user_email: 'a@b.io', note: 'from 203.0.113.5' });
    expect(logged).toEqual({ req: raw, user_email: REDACTED, note: 'from [REDACTED:ipv4]' });
    expect(pino.serializers.req(raw)).toEqual({ url: '/x?token=[REDACTED]', secret: REDACTED });
    expect(pino.formatters.bindings({ service: 'audit', password: 'p' })).toEqual({
      service: 'audit',
      password: REDACTED,
    });
  });

  it('scrubs message strings, interpolation arguments and a leading Error', () => {
    const calls: unknown[][] = [];
    const method = (...args: unknown[]): void => {
      calls.push(args);
    };
    const pino = pinoRedaction();
    pino.hooks.logMethod.call(undefined, ['mail %s %o', 'a@b.io', { token: 't' }], method, 30);
    expect(calls[0]).toEqual(['mail %s %o', '[REDACTED:email]', { token: REDACTED }]);
    const error = new TypeError('user a@b.io missing');
    pino.hooks.logMethod.call(undefined, [error], method, 50);
    const passed = calls[1][0] as Error;
    expect(passed).toBeInstanceOf(TypeError);
    expect(passed.message).toBe('user [REDACTED:email] missing');
    expect(passed.stack).not.toContain('a@b.io');
    expect(error.message).toBe('user a@b.io missing');
  });
});
