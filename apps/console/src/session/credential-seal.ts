import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for the credential inside a session row: a leaked table or backup yields no usable key or
 * token without CONSOLE_SESSION_KEY. Layout: iv (12) ‖ tag (16) ‖ ciphertext.
 */
export class CredentialSeal {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('CredentialSeal needs a 32-byte key');
  }

  seal(plaintext: string, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    // The session's id hash is bound as associated data: a sealed credential moved to another row fails.
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The plaintext, or null when the box was not sealed with this key and context. */
  open(box: Buffer, context: string): string | null {
    if (box.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, box.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(box.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(box.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return null;
    }
  }
}
