import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_ERASURE_FILE, loadErasurePolicy } from './erasure-policy';

function policyFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'erasure-')), 'policy.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('erasure policy file', () => {
  it('ships a KYC-access rule erasing after 90 days', () => {
    const policy = loadErasurePolicy(DEFAULT_ERASURE_FILE);
    expect(policy.eraseRules).toEqual([
      expect.objectContaining({ name: 'kyc-access', keep_days: 90, then: 'erase' }),
    ]);
    expect(policy.dropDays('routine')).toBeUndefined();
  });

  it('takes a drop_partition rule as the category retention', () => {
    const file = policyFile(
      `personal_fields: {'*': {}}\nretention_rules:\n  - {name: short, match: {category: routine}, keep_days: 30, then: drop_partition}\n`,
    );
    expect(loadErasurePolicy(file).dropDays('routine')).toBe(30);
  });

  it('refuses a drop_partition rule matching less than a whole category, naming the field', () => {
    const file = policyFile(
      `personal_fields: {'*': {}}\nretention_rules:\n  - {name: x, match: {action: a.b}, keep_days: 30, then: drop_partition}\n`,
    );
    expect(() => loadErasurePolicy(file)).toThrow(
      /retention_rules\.0\.match: then: drop_partition needs match: \{category\}/,
    );
  });

  it('needs a "*" entry and valid paths', () => {
    expect(() => loadErasurePolicy(policyFile(`personal_fields: {shop: {}}\n`))).toThrow(
      /personal_fields: .*"\*"/,
    );
    expect(() => loadErasurePolicy(policyFile(`personal_fields: {'*': {metadata: ['a..b']}}\n`))).toThrow(
      /personal_fields\.\*\.metadata\.0: must be a dot path/,
    );
  });
});
