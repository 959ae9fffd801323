import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { tempDir } from '@vigil/testing';

import { loadCliConfig } from '../config/cli-config';
import { cosignatureOf, parseVerifierKey, splitNote, verifierKeyText } from '../model/cosignature';
import { checkpointBody, COSIGNATURE_TYPE, ED25519_TYPE, signNote } from '../model/signed-note';
import { consistencyProof, inMemoryRangeHash, leafHash, merkleTreeHash } from '../merkle/rfc6962';
import { runWitness, WITNESS_EXIT, type HttpFetch, type WitnessState } from './witness-command';

const ORIGIN = 'vigil.audit/security';
const CONFIG = loadCliConfig({ AUDIT_API_KEY: 'witness-key' });
const leaves = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${tag}${i}`)));

/** A log served the way the audit service serves it: checkpoint, consistency proofs, cosignature and refusal intake. */
class FakeLog {
  leaves: Buffer[] = [];
  posted: Array<{ path: string; body: Record<string, string> }> = [];

  constructor(private readonly key: { privateKey: KeyObject; publicKey: KeyObject }) {}

  root(size = this.leaves.length) {
    return merkleTreeHash(this.leaves.slice(0, size));
  }

  readonly fetch: HttpFetch = (url, init) => {
    const { pathname, searchParams } = new URL(url);
    const route = pathname.replace('/audit/log/security/', '');
    const json = (body: unknown, status = 200) => Promise.resolve(Response.json(body, { status }));
    if (init?.method === 'POST') {
      this.posted.push({ path: route, body: JSON.parse(init.body as string) as Record<string, string> });
      return json({ final: true, cosignatures: [{}] }, route === 'refusals' ? 202 : 201);
    }
    if (route === 'checkpoint') {
      const text = checkpointBody(ORIGIN, this.leaves.length, this.root());
      return json({ note: signNote(text, ORIGIN, this.key.privateKey, this.key.publicKey) });
    }
    const [first, second] = ['first', 'second'].map((p) => Number(searchParams.get(p)));
    const proof = consistencyProof(first, second, inMemoryRangeHash(this.leaves));
    return json({ proof: proof.map((p) => p.toString('hex')) });
  };
}

describe('vigil-audit witness', () => {
  const logKey = generateKeyPairSync('ed25519');
  const witnessKey = generateKeyPairSync('ed25519');
  const vkey = verifierKeyText(ORIGIN, logKey.publicKey, ED25519_TYPE);
  const witnessVkey = parseVerifierKey(
    verifierKeyText('witness.test/w1', witnessKey.publicKey, COSIGNATURE_TYPE),
  );
  let dir: string;
  let out: string[];
  let err: string[];

  const io = () => ({ out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  const keyFile = () => {
    const file = path.join(dir, 'witness.pem');
    writeFileSync(file, witnessKey.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    return file;
  };
  const args = (extra: string[] = []) => [
    ...['--log', 'http://log.test', '--category', 'security', '--log-key', vkey],
    ...['--key-file', keyFile(), '--name', 'witness.test/w1', '--state', path.join(dir, 'state.json')],
    ...extra,
  ];
  const state = () => JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as WitnessState;
  const witness = (log: FakeLog) => runWitness(args(), CONFIG, io(), log.fetch, () => 1_765_000_000);

  beforeEach(() => {
    dir = tempDir('witness-');
    out = [];
    err = [];
  });

  it('cosigns a first checkpoint and then each consistent extension, proving it with the log', async () => {
    const log = new FakeLog(logKey);
    log.leaves = leaves('a', 5);
    expect(await witness(log)).toBe(WITNESS_EXIT.cosigned);
    log.leaves.push(...leaves('b', 8));
    expect(await witness(log)).toBe(WITNESS_EXIT.cosigned);
    expect(state()).toMatchObject({ origin: ORIGIN, size: 13, root_hash: log.root().toString('hex') });
    const posted = log.posted.map((p) => p.path);
    expect(posted).toEqual(['cosignatures', 'cosignatures']);
    const note = splitNote(log.posted[1].body.note)!;
    expect(cosignatureOf(note.text, note.signatures, witnessVkey)).toMatchObject({
      timestamp: 1_765_000_000,
    });
    expect(out[1]).toContain(`cosigned ${ORIGIN} size 13 root ${log.root().toString('hex')}`);
  });

  it('refuses a fork: another tree of the same size, naming both roots, and reports it with both checkpoints', async () => {
    const log = new FakeLog(logKey);
    log.leaves = leaves('a', 6);
    expect(await witness(log)).toBe(WITNESS_EXIT.cosigned);
    const cosigned = state();
    log.leaves = leaves('forged', 6);
    expect(await witness(log)).toBe(WITNESS_EXIT.refused);
    expect(err[0]).toContain(`fork: the log shows size 6 with root ${log.root().toString('hex')}`);
    expect(err[0]).toContain(`cosigned size 6 with root ${cosigned.root_hash}`);
    const refusal = log.posted[1];
    expect(refusal.path).toBe('refusals');
    expect(refusal.body).toMatchObject({
      witness: 'witness.test/w1',
      reason: 'fork',
      previous: cosigned.note,
    });
    expect(refusal.body.latest).toContain(log.root().toString('base64'));
    expect(state()).toEqual(cosigned);
  });

  it('refuses a rewritten history that grew (the consistency proof fails) and a log that shrank', async () => {
    const log = new FakeLog(logKey);
    log.leaves = leaves('a', 7);
    expect(await witness(log)).toBe(WITNESS_EXIT.cosigned);
    log.leaves = [...leaves('a', 3), ...leaves('rewritten', 9)];
    expect(await witness(log)).toBe(WITNESS_EXIT.refused);
    expect(err.join('\n')).toMatch(/fork: size 12 with root [0-9a-f]{64} is not an extension of size 7/);
    log.leaves = leaves('a', 4);
    expect(await witness(log)).toBe(WITNESS_EXIT.refused);
    expect(err.join('\n')).toContain(
      `the log shrank: it shows size 4 with root ${log.root().toString('hex')}`,
    );
    expect(log.posted.map((p) => p.body.reason ?? 'cosigned')).toEqual([
      'cosigned',
      'inconsistent_proof',
      'shrink',
    ]);
    expect(state().size).toBe(7);
  });

  it('refuses a checkpoint not signed by the log key without reporting it (it is no evidence against the log)', async () => {
    const log = new FakeLog(generateKeyPairSync('ed25519'));
    log.leaves = leaves('a', 2);
    expect(await witness(log)).toBe(WITNESS_EXIT.refused);
    expect(err[0]).toMatch(/not signed by the log key/);
    expect(log.posted).toEqual([]);
  });

  it('prints its verifier key for AUDIT_WITNESS_KEYS and names missing options', async () => {
    const printed = await runWitness(
      ['--print-vkey', '--key-file', keyFile(), '--name', 'witness.test/w1'],
      CONFIG,
      io(),
    );
    expect(printed).toBe(0);
    expect(parseVerifierKey(out[0]).publicKey.equals(witnessKey.publicKey)).toBe(true);
    expect(await runWitness(['--key-file', keyFile(), '--name', 'w'], CONFIG, io())).toBe(WITNESS_EXIT.error);
    expect(err[0]).toMatch(/--log, --category, --log-key and --state are required/);
  });
});
