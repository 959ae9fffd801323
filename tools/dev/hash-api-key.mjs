// `pnpm vigil-keyhash`: makes a new API key and prints it with its scrypt hash, for API_KEYS.
//   pnpm vigil-keyhash [--name prometheus] [--scopes alerts:write,...]   new random key + hash (+ the API_KEYS entry)
//   printf %s "$KEY" | pnpm vigil-keyhash --stdin [--name ...]            hash an existing key read from stdin
// The format is libs/platform/src/auth/api-key-hash.ts's: scrypt$N$r$p$<salt base64url>$<hash base64url>,
// N=2^15, r=8, p=1, a 16-byte random salt per key and a 32-byte hash. The key itself is never written anywhere
// but this terminal: hand it to the client, store only the hash.
import crypto from 'node:crypto';
import fs from 'node:fs';

const SCOPES = [
  'audit:read',
  'alerts:write',
  'alerts:ack',
  'silences:write',
  'config:reload',
  'reports:run',
  'health:detailed',
];
const N = 2 ** 15;
const r = 8;
const p = 1;

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
const known = new Set(['--stdin', '--name', '--scopes']);
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

const fromStdin = args.includes('--stdin');
const key = fromStdin
  ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '')
  : `vgl_${crypto.randomBytes(32).toString('base64url')}`;
if (key.length === 0) fail('the key read from stdin is empty');
if (key.length > 512) fail('keys longer than 512 characters are refused by the services');
if (!/^[\x21-\x7e]+$/.test(key))
  fail('a key must be printable ASCII without spaces (it travels in a header)');

const salt = crypto.randomBytes(16);
const hash = crypto.scryptSync(key, salt, 32, { N, r, p, maxmem: 128 * N * r + 128 * r * p + 1024 * 1024 });
const encoded = ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');

if (!fromStdin) process.stdout.write(`key:  ${key}\n`);
process.stdout.write(`${fromStdin ? '' : 'hash: '}${encoded}\n`);
if (name !== undefined) process.stdout.write(`${JSON.stringify({ name, hash: encoded, scopes })}\n`);
