import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { MasterKey } from '../config/master-keys';

/** A data key's 32 bytes wrapped by a master key: AES-256-GCM, nonce ‖ ciphertext ‖ tag, bound to its key id. */
export function wrapKey(master: MasterKey, keyId: string, material: Buffer): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master.key, nonce);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  return Buffer.concat([nonce, cipher.update(material), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(master: MasterKey, keyId: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', master.key, wrapped.subarray(0, 12));
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
  return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
}
