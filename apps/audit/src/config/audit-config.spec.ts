import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, hashApiKey, loadConfig } from '@vigil/platform';

import { COSIGNATURE_TYPE, ED25519_TYPE } from '../model/signed-note';
import { verifierKeyText } from '../model/cosignature';
import { auditConfigSchema } from './audit-config';

const witnessVkey = (name: string, type: number = COSIGNATURE_TYPE) =>
  verifierKeyText(name, generateKeyPairSync('ed25519').publicKey, type as typeof COSIGNATURE_TYPE);

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

  it('reads witness keys as a JSON array or a list, and a quorum no larger than them', () => {
    const [a, b] = [witnessVkey('w.example/a'), witnessVkey('w.example/b')];
    const listed = loadConfig(auditConfigSchema, { ...base, AUDIT_WITNESS_KEYS: `${a}, ${b}` }, 3002);
    expect(listed.AUDIT_WITNESS_KEYS).toEqual([a, b]);
    expect(listed.AUDIT_WITNESS_QUORUM).toBe(0);
    const json = { ...base, AUDIT_WITNESS_KEYS: JSON.stringify([a, b]), AUDIT_WITNESS_QUORUM: '2' };
    expect(loadConfig(auditConfigSchema, json, 3002).AUDIT_WITNESS_QUORUM).toBe(2);
    expect(() =>
      loadConfig(auditConfigSchema, { ...base, AUDIT_WITNESS_KEYS: a, AUDIT_WITNESS_QUORUM: '2' }, 3002),
    ).toThrow(/AUDIT_WITNESS_QUORUM: is 2 but AUDIT_WITNESS_KEYS names 1 witness/);
  });

  it('refuses a witness key that is malformed, a log key, or listed twice, naming the variable', () => {
    const a = witnessVkey('w.example/a');
    const cases: Array<[string, RegExp]> = [
      ['w.example/a+00000000+AAAA', /AUDIT_WITNESS_KEYS: the key must be base64/],
      [witnessVkey('log.example', ED25519_TYPE), /AUDIT_WITNESS_KEYS: "log.example" is not a witness key/],
      [`${a} ${a}`, /AUDIT_WITNESS_KEYS: witness "w.example\/a" is listed twice/],
    ];
    for (const [value, message] of cases) {
      expect(() => loadConfig(auditConfigSchema, { ...base, AUDIT_WITNESS_KEYS: value }, 3002)).toThrow(
        message,
      );
    }
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
