import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, hashApiKey, loadConfig } from '@vigil/platform';

import { auditConfigSchema } from './audit-config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/audit' };

const signingKeyPem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

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

  it('needs a master key outside development and test, from AUDIT_MASTER_KEY or a file, not both', () => {
    const signed = {
      ...base,
      ENVIRONMENT: 'production',
      AUDIT_SIGNING_KEY: signingKeyPem(),
      API_KEYS: JSON.stringify([{ name: 'a', hash: hashApiKey('k'.repeat(32), { N: 1024 }), scopes: [] }]),
    };
    expect(() => loadConfig(auditConfigSchema, signed, 3002)).toThrow(
      /AUDIT_MASTER_KEY: is required when ENVIRONMENT is "production"/,
    );
    const key = randomBytes(32).toString('base64');
    expect(loadConfig(auditConfigSchema, { ...signed, AUDIT_MASTER_KEY: key }, 3002).AUDIT_MASTER_KEY).toBe(
      key,
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mk-')), 'master.key');
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`);
    expect(
      loadConfig(auditConfigSchema, { ...signed, AUDIT_MASTER_KEY_FILE: file }, 3002).AUDIT_MASTER_KEY_FILE,
    ).toBe(file);
    expect(() =>
      loadConfig(auditConfigSchema, { ...signed, AUDIT_MASTER_KEY: key, AUDIT_MASTER_KEY_FILE: file }, 3002),
    ).toThrow(/AUDIT_MASTER_KEY_FILE: set AUDIT_MASTER_KEY or AUDIT_MASTER_KEY_FILE, not both/);
  });

  it('rejects a master key that is not 32 bytes, naming the variable', () => {
    expect(() => loadConfig(auditConfigSchema, { ...base, AUDIT_MASTER_KEY: 'c2hvcnQ=' }, 3002)).toThrow(
      /AUDIT_MASTER_KEY: must be 32 random bytes/,
    );
    expect(() =>
      loadConfig(
        auditConfigSchema,
        { ...base, AUDIT_MASTER_KEY_PREVIOUS: `${randomBytes(32).toString('hex')},nope` },
        3002,
      ),
    ).toThrow(/AUDIT_MASTER_KEY_PREVIOUS: must be 32 random bytes/);
    expect(() =>
      loadConfig(auditConfigSchema, { ...base, AUDIT_MASTER_KEY_FILE: '/nonexistent/key' }, 3002),
    ).toThrow(/AUDIT_MASTER_KEY_FILE: cannot read \/nonexistent\/key/);
  });
});
