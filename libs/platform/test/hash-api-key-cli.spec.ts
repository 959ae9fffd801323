import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { repoRoot } from '@vigil/testing';

import { apiKeyMatches, apiKeysSchema, parseApiKeyHash } from '../src';

const run = promisify(execFile);
const CLI = path.join(repoRoot(), 'tools/dev/hash-api-key.mjs');

/** `pnpm vigil-keyhash` (tools/dev/hash-api-key.mjs) against the platform's parser and verifier. */
describe('pnpm vigil-keyhash', () => {
  it('makes a random key and an API_KEYS entry whose hash the services accept', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--name', 'prometheus', '--scopes', 'alerts:write']);
    const [keyLine, hashLine, entryLine] = stdout.trim().split('\n');
    const key = keyLine.replace(/^key: +/, '');
    expect(key).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    const hash = hashLine.replace(/^hash: +/, '');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const [entry] = apiKeysSchema.parse(JSON.stringify([JSON.parse(entryLine)]));
    expect(entry).toMatchObject({ name: 'prometheus', scopes: ['alerts:write'], prefix: key.slice(0, 12) });
    expect(await apiKeyMatches(key, entry.hash)).toBe(true);
    expect(await apiKeyMatches(`${key}x`, entry.hash)).toBe(false);
  });

  it('binds a publishing key to its sources, and refuses audit:publish without them', async () => {
    const args = [CLI, '--name', 'shop', '--scopes', 'audit:publish', '--sources', 'shop,profile'];
    const { stdout } = await run(process.execPath, args);
    const [entry] = apiKeysSchema.parse(JSON.stringify([JSON.parse(stdout.trim().split('\n')[2])]));
    expect(entry).toMatchObject({ scopes: ['audit:publish'], sources: ['shop', 'profile'] });
    await expect(run(process.execPath, [CLI, '--scopes', 'audit:publish'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--sources'),
    });
  });

  it('hashes a key read from stdin, and refuses an unknown scope', async () => {
    const child = run(process.execPath, [CLI, '--stdin']);
    child.child.stdin?.end('existing-key-0123456789');
    const { stdout } = await child;
    expect(await apiKeyMatches('existing-key-0123456789', parseApiKeyHash(stdout.trim()))).toBe(true);
    await expect(run(process.execPath, [CLI, '--scopes', 'root'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown scope root'),
    });
  });
});
