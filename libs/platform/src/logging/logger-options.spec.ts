import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { type HttpLogger, pinoHttp, type Options } from 'pino-http';

import { loggerOptions, maskSecretPath } from './logger-options';

const SECRETS = [
  'hunter2',
  'rahim@example.com',
  'rahim%40example.com',
  'tok-123456',
  '+8801712345678',
  's3cr3t',
];

/** A pino-http logger built from the platform options, writing JSON lines into an array. */
function capture(): {
  lines: () => Record<string, unknown>[];
  raw: () => string;
  middleware: HttpLogger;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const options = loggerOptions(
    { name: 'audit', version: '1.0.0', gitSha: 'abc', environment: 'test' },
    'info',
  ).pinoHttp as Options;
  const middleware = pinoHttp(options, stream);
  const raw = () => chunks.join('');
  return {
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    middleware,
  };
}

describe('loggerOptions: every log line goes through libs/redaction', () => {
  it('scrubs merging objects, messages, interpolation arguments and errors', () => {
    const { lines, raw, middleware } = capture();
    const log = middleware.logger;
    log.info({ user: { id: 'u-1', email: 'rahim@example.com' }, password: 'hunter2' }, 'signed in');
    log.info('mail to %s failed: %o', 'rahim@example.com', { token: 'tok-123456' });
    log.warn('sms to +8801712345678 bounced');
    log.error(new Error('db postgres://app:s3cr3t@db:5432 refused for rahim@example.com'));
    log.error({ err: new TypeError('user rahim@example.com missing') }, 'lookup failed');
    log.child({ customer_email: 'rahim@example.com', session_token: 'hunter2' }).info('child line');

    for (const secret of SECRETS) expect(raw()).not.toContain(secret);
    const [first, second, third, fourth, fifth, sixth] = lines();
    expect(first).toMatchObject({
      level: 'info',
      service: 'audit',
      environment: 'test',
      message: 'signed in',
      user: { id: 'u-1', email: '[REDACTED]' },
      password: '[REDACTED]',
    });
    expect(second.message).toBe('mail to [REDACTED:email] failed: {"token":"[REDACTED]"}');
    expect(third.message).toBe('sms to [REDACTED:phone] bounced');
    expect(fourth.message).toBe('db postgres://app:[REDACTED]@db:5432 refused for [REDACTED:email]');
    expect(fifth.err).toMatchObject({ type: 'TypeError', message: 'user [REDACTED:email] missing' });
    expect(fourth.err).toMatchObject({ type: 'Error' });
    expect(sixth).toMatchObject({
      customer_email: '[REDACTED:email]',
      session_token: '[REDACTED]',
      message: 'child line',
    });
  });

  it('scrubs request URLs logged by pino-http and never logs headers', async () => {
    const { lines, raw, middleware } = capture();
    const server = http.createServer((req, res) => {
      middleware(req, res);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/api/users?email=rahim%40example.com&token=tok-123456&page=2`, {
        headers: { authorization: 'Bearer tok-123456', cookie: 'sid=hunter2' },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const completed = lines().find((line) => line.message === 'request completed');
    expect(completed?.req).toEqual({
      method: 'GET',
      url: '/api/users?email=[REDACTED:email]&token=[REDACTED]&page=2',
    });
    for (const secret of SECRETS) expect(raw()).not.toContain(secret);
  });

  it('masks the credential segment of a secret path, and only of that path', () => {
    const secretPaths = [{ pattern: /^\/ping\/[^/?]+/, replacement: '/ping/[token]' }];
    expect(maskSecretPath('/ping/Xk9-secret/start?rid=1', secretPaths)).toBe('/ping/[token]/start?rid=1');
    expect(maskSecretPath('/ping/Xk9-secret', secretPaths)).toBe('/ping/[token]');
    expect(maskSecretPath('/api/status', secretPaths)).toBe('/api/status');
    expect(maskSecretPath(undefined, secretPaths)).toBeUndefined();
  });
});
