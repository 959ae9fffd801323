import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { readTargetSecret, TargetSecretError } from './target-secrets';

describe('readTargetSecret', () => {
  it('reads an environment variable, and names it when it is missing or empty', () => {
    expect(readTargetSecret({ env: 'DB_URL' }, { DB_URL: 'postgres://u:p@db/x' })).toBe(
      'postgres://u:p@db/x',
    );
    expect(() => readTargetSecret({ env: 'DB_URL' }, {})).toThrow(
      new TargetSecretError('environment variable DB_URL is not set'),
    );
    expect(() => readTargetSecret({ env: 'DB_URL' }, { DB_URL: '' })).toThrow(/DB_URL is not set/);
  });

  it('reads a mounted file without its trailing newline, and never shows the value in an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-secret-'));
    const file = path.join(dir, 'password');
    fs.writeFileSync(file, 's3cret-value\n');
    expect(readTargetSecret({ file }, {})).toBe('s3cret-value');
    fs.writeFileSync(file, '\n');
    expect(() => readTargetSecret({ file }, {})).toThrow(`file ${file} is empty`);
    expect(() => readTargetSecret({ file: path.join(dir, 'missing') }, {})).toThrow(
      /cannot be read \(ENOENT\)/,
    );
    fs.rmSync(dir, { recursive: true });
  });
});
