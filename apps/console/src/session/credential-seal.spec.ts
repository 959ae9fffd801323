import { randomBytes } from 'node:crypto';

import { CredentialSeal } from './credential-seal';

describe('CredentialSeal', () => {
  const seal = new CredentialSeal(randomBytes(32));

  it('opens what it sealed for the same context', () => {
    const box = seal.seal('vigil-dev-key', 'session-a');
    expect(box.toString('utf8')).not.toContain('vigil-dev-key');
    expect(seal.open(box, 'session-a')).toBe('vigil-dev-key');
  });

  it('refuses another context, another key and a flipped bit', () => {
    const box = seal.seal('vigil-dev-key', 'session-a');
    expect(seal.open(box, 'session-b')).toBeNull();
    expect(new CredentialSeal(randomBytes(32)).open(box, 'session-a')).toBeNull();
    const flipped = Buffer.from(box);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(seal.open(flipped, 'session-a')).toBeNull();
  });
});
