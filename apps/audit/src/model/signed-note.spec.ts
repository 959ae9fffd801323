import { generateKeyPairSync } from 'node:crypto';

import { checkpointBody, openNote, signNote } from './signed-note';

describe('C2SP signed checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const root = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');

  it('writes origin, size, base64 root, a blank line and one em-dash signature line', () => {
    const body = checkpointBody('vigil.audit/security', 8, root);
    const note = signNote(body, 'vigil.audit/security', privateKey, publicKey);
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual(['vigil.audit/security', '8', root.toString('base64'), '']);
    expect(lines[4]).toMatch(/^\u2014 vigil\.audit\/security [A-Za-z0-9+/]{91}=$/);
    expect(lines[5]).toBe('');
    expect(openNote(note, 'vigil.audit/security', publicKey)).toBe(body);
  });

  it('refuses an edited text, another key or another key name', () => {
    const body = checkpointBody('vigil.audit/routine', 3, root);
    const note = signNote(body, 'vigil.audit/routine', privateKey, publicKey);
    expect(openNote(note.replace('\n3\n', '\n4\n'), 'vigil.audit/routine', publicKey)).toBeNull();
    expect(openNote(note, 'vigil.audit/routine', generateKeyPairSync('ed25519').publicKey)).toBeNull();
    expect(openNote(note, 'vigil.audit/privacy', publicKey)).toBeNull();
  });
});
