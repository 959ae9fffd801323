import { z } from 'zod';
import { errorMessage } from '@vigil/platform';

/** An optional Ed25519 key given as text (PEM or base64 DER), checked with `parse` at boot. */
export const ed25519KeyText = (parse: (text: string) => unknown, what: 'private' | 'public') =>
  z
    .string()
    .min(1)
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parse(value);
      } catch (error) {
        const detail = errorMessage(error);
        ctx.addIssue({
          code: 'custom',
          message: `must be an Ed25519 ${what} key (PEM or base64 ${what === 'private' ? 'PKCS#8' : 'SPKI'}): ${detail}`,
        });
      }
    });
