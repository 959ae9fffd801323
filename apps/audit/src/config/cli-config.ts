import { z } from 'zod';

import { ConfigError } from '@vigil/platform';

import { parsePrivateKey, parsePublicKey } from '../model/checkpoint-signer';
import { ed25519KeyText } from './ed25519-key-text';
import { masterKeyFile, masterKeyText, previousMasterKeys } from './master-keys';

/** What the audit CLIs read: the database, the checkpoint key(s), NATS (DLQ replay), the witness's API key. */
export const auditCliConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL')
    .optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, 'must be a nats:// URL')
    .default('nats://127.0.0.1:4222'),
  /** The public key an auditor trusts (PEM or base64 SPKI); else derived from AUDIT_SIGNING_KEY. */
  AUDIT_PUBLIC_KEY: ed25519KeyText(parsePublicKey, 'public'),
  AUDIT_SIGNING_KEY: ed25519KeyText(parsePrivateKey, 'private'),
  /** The bearer API key the witness calls the audit service with (scopes audit:read and audit:publish). */
  AUDIT_API_KEY: z.string().min(1).optional(),
  /** The master keys (rewrap-keys): as the service reads them. */
  AUDIT_MASTER_KEY: masterKeyText,
  AUDIT_MASTER_KEY_FILE: masterKeyFile,
  AUDIT_MASTER_KEY_PREVIOUS: previousMasterKeys,
});

export type AuditCliConfig = z.infer<typeof auditCliConfigSchema>;

export function loadCliConfig(env: Record<string, string | undefined>): AuditCliConfig {
  const result = auditCliConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(issue.path.map(String).join('.'), issue.message);
  }
  return result.data;
}

/** The process environment, read only here for the CLIs (services read it through the platform). */
export function cliEnvironment(): Record<string, string | undefined> {
  return process.env;
}
