// `pnpm vigil-keyhash`: makes a new API key and prints it with its scrypt hash, for API_KEYS.
//   pnpm vigil-keyhash [--name prometheus] [--scopes alerts:write,...]   new random key + hash (+ the API_KEYS entry)
//   pnpm vigil-keyhash --name shop --scopes audit:publish --sources shop,profile   (audit:publish needs --sources; '*' = any)
//   printf %s "$KEY" | pnpm vigil-keyhash --stdin [--name ...]            hash an existing key read from stdin
// The format is libs/platform/src/auth/api-key-hash.ts's: scrypt$N$r$p$<salt base64url>$<hash base64url>,
// N=2^15, r=8, p=1, a 16-byte random salt per key and a 32-byte hash. The key itself is never written anywhere
// but this terminal: hand it to the client, store only the hash.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// One implementation of the hash format and the scope list: the platform's own (built on first use).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'libs/platform/dist/auth');
if (!fs.existsSync(path.join(dist, 'api-key-hash.js'))) {
  const nx = path.join(root, 'node_modules/.bin/nx');
  const built = spawnSync(nx, ['run', '@vigil/platform:build', '--output-style=static'], {
    cwd: root,
    stdio: ['ignore', 2, 2], // keep stdout for the key and its hash
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (built.status !== 0) {
    process.stderr.write('vigil-keyhash: building @vigil/platform failed; run `pnpm install` first\n');
    process.exit(2);
  }
}
const require = createRequire(import.meta.url);
const { hashApiKey } = require(path.join(dist, 'api-key-hash.js'));
const { API_SCOPES: SCOPES } = require(path.join(dist, 'api-scopes.js'));

function fail(message) {
  process.stderr.write(`vigil-keyhash: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
};
const known = new Set(['--stdin', '--name', '--scopes', '--sources']);
for (let i = 0; i < args.length; i++) {
  if (!known.has(args[i]))
    fail(`unknown argument ${args[i]} (usage: see the top of tools/dev/hash-api-key.mjs)`);
  if (args[i] !== '--stdin') i++;
}
const name = option('--name');
const scopes = (option('--scopes') ?? '').split(',').filter(Boolean);
if (name !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(name)) fail('--name must be 1-64 of [A-Za-z0-9._-]');
for (const scope of scopes)
  if (!SCOPES.includes(scope)) fail(`unknown scope ${scope} (one of ${SCOPES.join(', ')})`);
// The services refuse an audit:publish entry without sources, and sources without it (api-keys.config.ts).
const sourcesOption = option('--sources');
const sources = sourcesOption?.split(',').filter(Boolean);
if (scopes.includes('audit:publish') !== (sources !== undefined))
  fail('--sources (e.g. shop,profile, or * for any) goes with scope audit:publish, and only with it');

const fromStdin = args.includes('--stdin');
const key = fromStdin
  ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '')
  : `vgl_${crypto.randomBytes(32).toString('base64url')}`;
if (key.length === 0) fail('the key read from stdin is empty');
if (key.length > 512) fail('keys longer than 512 characters are refused by the services');
if (!/^[\x21-\x7e]+$/.test(key))
  fail('a key must be printable ASCII without spaces (it travels in a header)');

const encoded = hashApiKey(key);
// A key made here (vgl_ and 43 random characters) is named in API_KEYS by its first 12 characters: public,
// they let the services refuse a token that matches no key's prefix without paying scrypt (48 of the key's
// 256 random bits; the rest stays secret). A key of another shape read from stdin gets no prefix.
const prefix = /^vgl_[A-Za-z0-9_-]{43}$/.test(key) ? key.slice(0, 12) : undefined;

if (!fromStdin) process.stdout.write(`key:  ${key}\n`);
process.stdout.write(`${fromStdin ? '' : 'hash: '}${encoded}\n`);
if (name !== undefined)
  process.stdout.write(
    `${JSON.stringify({ name, hash: encoded, scopes, ...(sources ? { sources } : {}), ...(prefix ? { prefix } : {}) })}\n`,
  );
