import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { configureDefaultRedactor, redactString } from '@vigil/redaction';

import { startService } from '../bootstrap';
import { ConfigError, loadConfig, platformConfigSchema } from './platform-config';
import { redactionPolicyOf } from './redaction-config';

const valid = { DATABASE_URL: 'postgres://vigil:pw@127.0.0.1:5432/vigil_audit' };
const HASH_KEY = 'a-hash-key-of-32-bytes-0123456789';
const load = (env: Record<string, string>): unknown =>
  loadConfig(platformConfigSchema, { ...valid, ...env }, 1);

/** The one line a failed boot prints: the message of the ConfigError `attempt` throws. */
function bootLine(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('REDACTION_POLICY and REDACTION_HASH_KEY', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-redaction-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => configureDefaultRedactor(undefined));

  const file = (name: string, text: string): string => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };

  it('are optional: unset, the service uses the documented defaults', () => {
    expect(redactionPolicyOf({})).toBeUndefined();
    expect(() => load({})).not.toThrow();
  });

  it('read an inline policy or a policy file, with the hash key from the environment or a file', () => {
    const policy = '{"strategies":{"email":"hash"},"rules":[{"kind":"ticket_ref","pattern":"TKT-\\\\d{6}"}]}';
    expect(() => load({ REDACTION_POLICY: policy, REDACTION_HASH_KEY: HASH_KEY })).not.toThrow();
    const fromFiles = redactionPolicyOf({
      REDACTION_POLICY: file('policy.json', policy),
      REDACTION_HASH_KEY_FILE: file('hash-key', `${HASH_KEY}\n`),
    });
    expect(fromFiles).toMatchObject({ strategies: { email: 'hash' }, hashKey: HASH_KEY });
    expect(fromFiles?.rules?.[0].pattern).toEqual(/TKT-\d{6}/);
  });

  it.each([
    [
      'a policy that is not JSON',
      { REDACTION_POLICY: '{email: hash}' },
      /^invalid configuration: REDACTION_POLICY: policy is not JSON: .*\(REDACTION_POLICY\)/,
    ],
    [
      'an unknown strategy',
      { REDACTION_POLICY: '{"strategies":{"email":"blur"}}' },
      /^invalid configuration: REDACTION_POLICY: strategies\.email must be one of remove, mask, hash/,
    ],
    [
      'a rule that could backtrack',
      { REDACTION_POLICY: '{"rules":[{"kind":"ticket_ref","pattern":"(TKT-\\\\d+)+"}]}' },
      /^invalid configuration: REDACTION_POLICY: rules\[0\]\.pattern has an unbounded quantifier/,
    ],
    [
      'a hash key written in the policy',
      { REDACTION_POLICY: `{"hashKey":"${HASH_KEY}"}` },
      /^invalid configuration: REDACTION_POLICY: hashKey must not be written in a policy/,
    ],
    [
      'a policy file that does not exist',
      { REDACTION_POLICY: '/nonexistent/redaction.json' },
      /^invalid configuration: REDACTION_POLICY: cannot read \/nonexistent\/redaction\.json \(ENOENT\)$/,
    ],
    [
      'the hash strategy without a key',
      { REDACTION_POLICY: '{"strategies":{"email":"hash"}}' },
      /^invalid configuration: REDACTION_HASH_KEY: is required: email use the hash strategy \(REDACTION_POLICY\)$/,
    ],
    [
      'a short hash key',
      { REDACTION_HASH_KEY: 'short-secret' },
      /^invalid configuration: REDACTION_HASH_KEY: must be at least 16 bytes \(got 12\)$/,
    ],
    [
      'a key set twice',
      { REDACTION_HASH_KEY: HASH_KEY, REDACTION_HASH_KEY_FILE: '/run/secrets/key' },
      /^invalid configuration: REDACTION_HASH_KEY: is set twice/,
    ],
    [
      'an unreadable key file',
      { REDACTION_HASH_KEY_FILE: '/nonexistent/key' },
      /^invalid configuration: REDACTION_HASH_KEY_FILE: cannot read \/nonexistent\/key \(ENOENT\)$/,
    ],
  ])('stop boot on %s with one line naming the variable', (_, env, line) => {
    expect(bootLine(() => load(env))).toMatch(line);
  });

  it('never echo the hash key', () => {
    expect(bootLine(() => load({ REDACTION_HASH_KEY: 'hunter2-secret' }))).not.toContain('hunter2');
  });

  it('are applied by the bootstrap to the default redactor, before the service module is built', async () => {
    let seenByModule = '';
    const definition = {
      name: 'health' as const,
      configSchema: platformConfigSchema,
      module: (): never => {
        seenByModule = redactString('login by a@b.io');
        throw new Error('stop after configuration');
      },
    };
    const env = {
      ...valid,
      REDACTION_POLICY: '{"strategies":{"email":"hash"}}',
      REDACTION_HASH_KEY: HASH_KEY,
    };
    await expect(startService(definition, env, { logger: false })).rejects.toThrow(
      'stop after configuration',
    );
    expect(seenByModule).toMatch(/^login by \[HASH:email:[a-p]{16}\]$/);
  });

  it('a bad policy stops the bootstrap before anything starts', async () => {
    const module = jest.fn();
    const env = { ...valid, REDACTION_POLICY: '{"disabled":["ipv5"]}' };
    await expect(
      startService({ name: 'health', configSchema: platformConfigSchema, module }, env),
    ).rejects.toThrow(
      /^invalid configuration: REDACTION_POLICY: disabled\[0\] "ipv5" is not a value detector/,
    );
    expect(module).not.toHaveBeenCalled();
  });
});
