import { ConfigError } from '../config/platform-config';
import { inboxPrefixOf, natsConnectOptions } from './nats-connect-options';

describe('natsConnectOptions', () => {
  it('passes the URL credentials as options, returns the bare URL and the user inbox prefix', () => {
    expect(natsConnectOptions('nats://audit:s3cr%40t@nats:4222')).toEqual({
      servers: 'nats://nats:4222',
      user: 'audit',
      pass: 's3cr@t',
      inboxPrefix: '_INBOX_audit',
    });
  });

  it("keeps NATS' default inbox without a user", () => {
    expect(natsConnectOptions('nats://127.0.0.1:4222')).toEqual({
      servers: 'nats://127.0.0.1:4222',
      inboxPrefix: '_INBOX',
    });
  });

  it('refuses a user name that is not one subject token, naming NATS_URL', () => {
    expect(() => natsConnectOptions('nats://a.b:x@nats:4222')).toThrow(ConfigError);
    expect(() => natsConnectOptions('nats://a%3E:x@nats:4222')).toThrow(/NATS_URL/);
  });

  it('gives the DLQ replay user its own prefix too', () => {
    expect(inboxPrefixOf('audit-replay')).toBe('_INBOX_audit-replay');
  });
});
