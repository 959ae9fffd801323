import { createHash, generateKeyPairSync, sign } from 'node:crypto';

import {
  canonicalJson,
  checkGrowth,
  checkInclusion,
  consistencyHolds,
  leafHashOf,
  rootFromInclusion,
  type InclusionEvidence,
} from './inclusion-check';

const node = (l: Buffer, r: Buffer) =>
  createHash('sha256')
    .update(Buffer.concat([Buffer.of(1), l, r]))
    .digest();
const origin = 'vigil.audit/security';
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

const records = [1, 2, 3].map((seq) => ({
  category: 'security',
  event: {
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    action: 'wallet.settings.viewed',
    metadata: { n: seq },
  },
  id: `00000000-0000-4000-8000-00000000000${seq}`,
  received_at: `2026-12-08T00:00:0${seq}.000Z`,
  seq,
}));
const leaves = records.map(leafHashOf);
const root = node(node(leaves[0], leaves[1]), leaves[2]);

function note(size: number, rootHash: Buffer, key = privateKey): string {
  const body = `${origin}\n${size}\n${rootHash.toString('base64')}\n`;
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyId = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${origin}\n`), Buffer.of(1), raw]))
    .digest()
    .subarray(0, 4);
  const signature = sign(null, Buffer.from(body), key);
  return `${body}\n\u2014 ${origin} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

function evidence(overrides: Partial<InclusionEvidence> = {}): InclusionEvidence {
  return {
    record: records[0],
    proof: {
      leaf_index: 0,
      tree_size: 3,
      leaf_hash: leaves[0].toString('hex'),
      proof: [leaves[1], leaves[2]].map((h) => h.toString('hex')),
    },
    checkpoint: { key_name: origin, note: note(3, root) },
    publicKeyPem: pem,
    ...overrides,
  };
}

describe('inclusion check (RFC 6962 / 9162, C2SP signed note)', () => {
  it('writes canonical JSON with sorted keys and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 'é', y: undefined } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"z":"é"}}',
    );
  });

  it('folds a proof to the root, for the first and the last leaf', () => {
    expect(rootFromInclusion(0, 3, leaves[0], [leaves[1], leaves[2]])?.equals(root)).toBe(true);
    expect(rootFromInclusion(2, 3, leaves[2], [node(leaves[0], leaves[1])])?.equals(root)).toBe(true);
    expect(rootFromInclusion(3, 3, leaves[2], [])).toBeNull();
  });

  it('verifies an included event against a signed checkpoint', () => {
    expect(checkInclusion(evidence())).toEqual({ ok: true, size: 3, root: root.toString('hex') });
  });

  it('refuses an edited event', () => {
    const edited = { ...records[0], event: { ...records[0].event, metadata: { n: 99 } } };
    expect(checkInclusion(evidence({ record: edited }))).toEqual({
      ok: false,
      reason: expect.stringContaining('hash'),
    });
  });

  it('refuses a proof that leads elsewhere and a checkpoint another key signed', () => {
    const wrong = evidence();
    expect(
      checkInclusion({
        ...wrong,
        proof: { ...wrong.proof, proof: [leaves[2].toString('hex'), leaves[1].toString('hex')] },
      }).ok,
    ).toBe(false);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(
      checkInclusion(evidence({ checkpoint: { key_name: origin, note: note(3, root, other) } })),
    ).toEqual({
      ok: false,
      reason: expect.stringContaining('signature'),
    });
    expect(checkInclusion(evidence({ checkpoint: { key_name: origin, note: note(3, leaves[0]) } })).ok).toBe(
      false,
    );
  });

  it('checks that a smaller tree is a prefix of a larger one (RFC 9162 consistency)', () => {
    const h3 = leafHashOf({ ...records[2], seq: 4, id: 'x' });
    const four = node(node(leaves[0], leaves[1]), node(leaves[2], h3));
    const proof = [leaves[2], h3, node(leaves[0], leaves[1])];
    expect(consistencyHolds(3, 4, proof, root, four)).toBe(true);
    expect(consistencyHolds(3, 4, proof, leaves[0], four)).toBe(false);
    expect(consistencyHolds(2, 4, [node(leaves[2], h3)], node(leaves[0], leaves[1]), four)).toBe(true);
    expect(
      checkGrowth({
        first: 3,
        firstRoot: root,
        proof,
        checkpoint: { key_name: origin, note: note(4, four) },
        publicKeyPem: pem,
      }),
    ).toEqual({
      ok: true,
      size: 4,
      root: four.toString('hex'),
    });
    expect(
      checkGrowth({
        first: 3,
        firstRoot: leaves[1],
        proof,
        checkpoint: { key_name: origin, note: note(4, four) },
        publicKeyPem: pem,
      }),
    ).toEqual({
      ok: false,
      reason: expect.stringContaining('not a prefix'),
    });
  });
});
