import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

import {
  inclusionProof,
  inMemoryRangeHash,
  merkleTreeHash,
  nodeHash,
  verifyInclusion,
} from '../merkle/rfc6962';
import { checkpointBody, noteKeyId, openNote, rawEd25519PublicKey, signNote } from '../model/signed-note';
import { canonicalJson } from '../model/canonical-json';
import { keyIdOf } from '../model/checkpoint-signer';
import { exportNoteText, recordLeafHash } from './export-format';

/**
 * The worked example of apps/audit/README.md ("Auditor export: verifying it yourself"): every value the
 * README prints is computed and asserted here, so the README cannot drift from the code.
 */
const SEED = createHash('sha256').update('vigil-audit-export-test-vector').digest();
const privateKey = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]),
  format: 'der',
  type: 'pkcs8',
});
const publicKey = createPublicKey(privateKey);

const records = [1, 2, 3].map((seq) =>
  canonicalJson({
    category: 'security',
    seq,
    id: `00000000-0000-4000-8000-00000000000${seq}`,
    received_at: `2026-12-01T10:00:0${seq}.000Z`,
    event: {
      id: `00000000-0000-4000-8000-00000000000${seq}`,
      occurred_at: `2026-12-01T10:00:0${seq}.000Z`,
      source: 'shop',
      actor: { type: 'admin', id: 'admin-7' },
      action: 'admin.wallet.viewed',
      resource: { type: 'wallet', id: `w-${seq}` },
      outcome: 'success',
    },
  }),
);
const leaves = records.map(recordLeafHash);
const root = merkleTreeHash(leaves);
const ORIGIN = 'vigil.audit/security';

describe('export test vectors (README "Auditor export")', () => {
  it('key: raw Ed25519 public key, the export key_id and the note key ID', () => {
    expect(SEED.toString('hex')).toBe('6a84b9deabb39e78fb9e892c3327bf025239dbcf574870f97c6d47237e396bab');
    expect(rawEd25519PublicKey(publicKey).toString('hex')).toBe(
      '004d1022823a7b4351329e92ee8b3655d6ff125189ccff4e46aee08ae4e1661b',
    );
    expect(keyIdOf(publicKey)).toBe('e3572c1fea9bc537');
    expect(noteKeyId(ORIGIN, publicKey).toString('hex')).toBe('aaa14f7b');
  });

  it('record 2: canonical text and leaf hash', () => {
    expect(records[1]).toBe(
      '{"category":"security","event":{"action":"admin.wallet.viewed","actor":{"id":"admin-7","type":"admin"},"id":"00000000-0000-4000-8000-000000000002","occurred_at":"2026-12-01T10:00:02.000Z","outcome":"success","resource":{"id":"w-2","type":"wallet"},"source":"shop"},"id":"00000000-0000-4000-8000-000000000002","received_at":"2026-12-01T10:00:02.000Z","seq":2}',
    );
    expect(leaves.map((l) => l.toString('hex'))).toEqual([
      'f722aa0c726a23af881b8c07cb09c15689057087a5317b7e116b657e9cd2b1b5',
      '6c0e4e8132430d69f720ae2e8f7a0bdc344b80674c69714108b83602a80ffa8a',
      '9045c6b8e893bacac3f12bc88dabef0c9011ba3e064e3c71b9ae802c629cef3e',
    ]);
    expect(createHash('sha256').update(Buffer.of(0)).update(records[1], 'utf8').digest()).toEqual(leaves[1]);
  });

  it('tree of 3: root, and the inclusion proof of leaf 1 (leaf side first)', () => {
    expect(nodeHash(leaves[0], leaves[1]).toString('hex')).toBe(
      'ab82ceab0bd792c86260f37d202cb0721b3efcb7f586acaaec98120f4790c643',
    );
    expect(root.toString('hex')).toBe('ac00b7e85f9e1373a344f99316344c88faaf5ed96ca1e95ebbb27e63014ae8e3');
    const proof = inclusionProof(1, 3, inMemoryRangeHash(leaves));
    expect(proof.map((p) => p.toString('hex'))).toEqual([
      'f722aa0c726a23af881b8c07cb09c15689057087a5317b7e116b657e9cd2b1b5',
      '9045c6b8e893bacac3f12bc88dabef0c9011ba3e064e3c71b9ae802c629cef3e',
    ]);
    expect(proof.map((p) => p.toString('base64'))).toEqual([
      '9yKqDHJqI6+IG4wHywnBVokFcIelMXt+EWtlfpzSsbU=',
      'kEXGuOiTusrD8SvIjavvDJARuj4GTjxxua6ALGKc7z4=',
    ]);
    expect(verifyInclusion(1, 3, leaves[1], proof, root)).toBe(true);
  });

  it('checkpoint: the signed note (Ed25519 signatures are deterministic)', () => {
    const note = signNote(checkpointBody(ORIGIN, 3, root), ORIGIN, privateKey, publicKey);
    expect(note).toBe(
      [
        'vigil.audit/security',
        '3',
        'rAC36F+eE3OjRPmTFjRMiPqvXtlsoeleu7J+YwFK6OM=',
        '',
        '— vigil.audit/security qqFPezLpFv3V5bpCdp8mHEDieaq1G5Gox+lz0nkVZu1Z5074B3iIOpVfmpX5NSJjEtfd3/3hBUuFTN7of+b41x6B0Q8=',
        '',
      ].join('\n'),
    );
    expect(openNote(note, ORIGIN, publicKey)).toBe(checkpointBody(ORIGIN, 3, root));
  });

  it('trailer: digest over the header line and the leaf hashes, and its signed text', () => {
    const header = '{"type":"header"}';
    const digest = createHash('sha256').update(header, 'utf8').update(Buffer.concat(leaves)).digest();
    expect(digest.toString('base64')).toBe('U1WksjqpzAMHlIuh5jn44p68yvTzGNKA4uu84LYKR/U=');
    expect(exportNoteText('vigil.audit/export', digest, 3, 0)).toBe(
      'vigil.audit/export\nsha256 U1WksjqpzAMHlIuh5jn44p68yvTzGNKA4uu84LYKR/U=\nevents 3\npending 0\n',
    );
  });
});
