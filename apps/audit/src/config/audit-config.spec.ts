import { generateKeyPairSync } from 'node:crypto';

import { ConfigError, loadConfig } from '@vigil/platform';

import { auditConfigSchema } from './audit-config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/audit' };

describe('audit config', () => {
  it('needs AUDIT_SIGNING_KEY outside development and test', () => {
    expect(() => loadConfig(auditConfigSchema, { ...base, ENVIRONMENT: 'production' }, 3002)).toThrow(
      /AUDIT_SIGNING_KEY: is required when ENVIRONMENT is "production"/,
    );
    expect(loadConfig(auditConfigSchema, base, 3002).AUDIT_SIGNING_KEY).toBeUndefined();
  });

  it('rejects a key that is not Ed25519, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    expect(() => loadConfig(auditConfigSchema, { ...base, AUDIT_SIGNING_KEY: rsa.toString() }, 3002)).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(auditConfigSchema, { ...base, AUDIT_SIGNING_KEY: 'bm90IGEga2V5' }, 3002)).toThrow(
      /AUDIT_SIGNING_KEY: must be an Ed25519 private key/,
    );
  });
});
