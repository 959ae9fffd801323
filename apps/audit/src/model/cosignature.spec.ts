import { generateKeyPairSync } from 'node:crypto';

import {
  cosignatureLine,
  cosignatureOf,
  cosignedMessage,
  parseCheckpointText,
  parseVerifierKey,
  splitNote,
  verifierKeyText,
} from './cosignature';
import { checkpointBody, COSIGNATURE_TYPE, ED25519_TYPE, noteKeyId, signNote } from './signed-note';

describe('C2SP verifier keys and tlog-cosignature/v1', () => {
  const log = generateKeyPairSync('ed25519');
  const witness = { name: 'witness.example/w1', ...generateKeyPairSync('ed25519') };
  const root = Buffer.alloc(32, 7);
  const text = checkpointBody('vigil.audit/security', 20, root);
  const note = signNote(text, 'vigil.audit/security', log.privateKey, log.publicKey);

  it('round-trips a verifier key and refuses one whose key ID does not match', () => {
    const vkey = verifierKeyText(witness.name, witness.publicKey, COSIGNATURE_TYPE);
    expect(vkey).toMatch(/^witness\.example\/w1\+[0-9a-f]{8}\+B[A-Za-z0-9+/]{43}$/);
    const parsed = parseVerifierKey(vkey);
    expect(parsed.type).toBe(COSIGNATURE_TYPE);
    expect(parsed.keyId.equals(noteKeyId(witness.name, witness.publicKey, COSIGNATURE_TYPE))).toBe(true);
    const wrongId = vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
    expect(() => parseVerifierKey(wrongId)).toThrow(/does not match the key/);
    expect(() => parseVerifierKey('no-plus-signs')).toThrow(/<name>\+<key id>/);
    const logKey = parseVerifierKey(verifierKeyText('vigil.audit/security', log.publicKey, ED25519_TYPE));
    expect(logKey.type).toBe(ED25519_TYPE);
  });

  it('signs "cosignature/v1", the time and the checkpoint text, and verifies only that', () => {
    expect(cosignedMessage(text, 1679315147).toString()).toBe(`cosignature/v1\ntime 1679315147\n${text}`);
    const line = cosignatureLine(text, witness, 1679315147);
    const cosigned = `${note}${line}\n`;
    const parts = splitNote(cosigned);
    expect(parts?.text).toBe(text);
    expect(parts?.signatures.map((s) => s.name)).toEqual(['vigil.audit/security', witness.name]);
    const key = parseVerifierKey(verifierKeyText(witness.name, witness.publicKey, COSIGNATURE_TYPE));
    expect(cosignatureOf(text, parts!.signatures, key)).toEqual({ timestamp: 1679315147, line });
    // The same line over another tree, or a key not configured, does not pass.
    const other = checkpointBody('vigil.audit/security', 21, root);
    expect(cosignatureOf(other, parts!.signatures, key)).toBe('invalid');
    const stranger = parseVerifierKey(
      verifierKeyText(witness.name, generateKeyPairSync('ed25519').publicKey, COSIGNATURE_TYPE),
    );
    expect(cosignatureOf(text, parts!.signatures, stranger)).toBeNull();
  });

  it('reads origin, size and root of a checkpoint text and refuses a malformed one', () => {
    expect(parseCheckpointText(text)).toEqual({ origin: 'vigil.audit/security', size: 20, root });
    expect(parseCheckpointText('vigil.audit/security\n020\nAAAA\n')).toBeNull();
    expect(parseCheckpointText(`vigil.audit/security\n-1\n${root.toString('base64')}\n`)).toBeNull();
  });
});
