import { z } from 'zod';

import { errorMessage, platformConfigSchema } from '@vigil/platform';

import { DEFAULT_RULES_FILE, loadDetectorRules } from './detector-rules';
import { parsePrivateKey } from '../model/checkpoint-signer';
import { ed25519KeyText } from './ed25519-key-text';
import { witnessKeysText } from './witness-keys';
import { DEFAULT_ERASURE_FILE, loadErasurePolicy } from './erasure-policy';
import { masterKeyFile, masterKeyText, previousMasterKeys } from './master-keys';

const DEVELOPMENT_ENVIRONMENTS = ['development', 'test'];

const days = z.coerce.number().int().min(1).max(36500);

export const auditConfigSchema = platformConfigSchema
  .extend({
    /** Largest batch stored in one transaction (batches are smaller when traffic is light). */
    AUDIT_FETCH_BATCH: z.coerce.number().int().min(1).max(1000).default(1000),
    /** How long one JetStream pull request stays open (messages are handed over as they arrive). */
    AUDIT_FETCH_EXPIRES_MS: z.coerce
      .number()
      .int()
      .min(1000, "must be at least 1000 (the JetStream client's minimum)")
      .max(30000)
      .default(1000),
    /** Batches stored at once by one replica (the next is prepared while the previous commits). */
    AUDIT_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(4),
    /**
     * Ed25519 private key signing checkpoints: PEM, or base64 of PKCS#8 DER. Required outside
     * development/test; unset there, a well-known development key is used (with a warning).
     */
    AUDIT_SIGNING_KEY: ed25519KeyText(parsePrivateKey, 'private'),
    /** How often the chain heads are signed. */
    AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
    /**
     * How often every chain is walked in full (each checkpoint walks only what was appended since the
     * previous one), so an edit of an already signed record raises AuditIntegrityBroken too.
     */
    AUDIT_FULL_VERIFY_INTERVAL_MS: z.coerce.number().int().min(100).default(3_600_000),
    /** Retention per category, in days; applied by dropping whole monthly partitions. */
    AUDIT_RETENTION_SECURITY_DAYS: days.default(365),
    AUDIT_RETENTION_PRIVACY_DAYS: days.default(365),
    AUDIT_RETENTION_ROUTINE_DAYS: days.default(90),
    /** How often retention runs (one replica at a time, under an advisory lock). */
    AUDIT_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
    /** YAML file of the detector rules (validated at boot); default: apps/audit/detector-rules.yaml. */
    AUDIT_RULES_FILE: z
      .string()
      .min(1)
      .default(DEFAULT_RULES_FILE)
      .superRefine((file, ctx) => {
        try {
          loadDetectorRules(file);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: errorMessage(error) });
        }
      }),
    /** How often the per-category Merkle trees append the records stored since (beside ingest, not in it). */
    AUDIT_MERKLE_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
    /** Origin prefix of the logs' checkpoints (C2SP tlog-checkpoint): each log is `<prefix>/<category>`. */
    AUDIT_MERKLE_ORIGIN: z
      .string()
      .regex(/^[\x21-\x2a\x2c-\x7e]+$/, 'must be printable ASCII without spaces or "+"')
      .default('vigil.audit'),
    /**
     * The witnesses whose cosignatures the logs accept: note verifier keys
     * (`<name>+<key id>+base64(0x04 ‖ Ed25519 key)`), a JSON array or separated by commas or spaces.
     */
    AUDIT_WITNESS_KEYS: witnessKeysText,
    /** Cosignatures of configured witnesses a checkpoint needs to be final (0: every checkpoint is). */
    AUDIT_WITNESS_QUORUM: z.coerce.number().int().min(0).default(0),
    /**
     * Master key wrapping the data subjects' keys (32 bytes, base64 or hex), or a file holding it. Required
     * outside development/test; unset there, a well-known development key is used (with a warning).
     */
    AUDIT_MASTER_KEY: masterKeyText,
    AUDIT_MASTER_KEY_FILE: masterKeyFile,
    /** Retired master keys (comma-separated): keys they wrapped still unwrap until re-wrapped. */
    AUDIT_MASTER_KEY_PREVIOUS: previousMasterKeys,
    /** YAML file of the personal fields per source and the retention rules (default apps/audit/erasure-policy.yaml). */
    AUDIT_ERASURE_FILE: z
      .string()
      .min(1)
      .default(DEFAULT_ERASURE_FILE)
      .superRefine((file, ctx) => {
        try {
          loadErasurePolicy(file);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: errorMessage(error) });
        }
      }),
    /** Unwrapped subject keys kept in memory by ingest (least recently used go first). */
    AUDIT_SUBJECT_KEY_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /**
     * How long ingest trusts a cached subject key before reading it again: after an erasure on another
     * replica, at most this long of new events is sealed under the destroyed key (they read as erased).
     */
    AUDIT_SUBJECT_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
    /** How often consumer lag (pending messages) is sampled into the gauge. */
    AUDIT_LAG_SAMPLE_MS: z.coerce.number().int().min(100).default(5000),
  })
  .superRefine((config, ctx) => {
    if (config.AUDIT_WITNESS_QUORUM > config.AUDIT_WITNESS_KEYS.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_WITNESS_QUORUM'],
        message: `is ${config.AUDIT_WITNESS_QUORUM} but AUDIT_WITNESS_KEYS names ${config.AUDIT_WITNESS_KEYS.length} witness(es)`,
      });
    }
    if (config.AUDIT_SIGNING_KEY === undefined && !DEVELOPMENT_ENVIRONMENTS.includes(config.ENVIRONMENT)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_SIGNING_KEY'],
        message: `is required when ENVIRONMENT is "${config.ENVIRONMENT}" (only development and test may use the development key)`,
      });
    }
    if (config.AUDIT_MASTER_KEY !== undefined && config.AUDIT_MASTER_KEY_FILE !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_MASTER_KEY_FILE'],
        message: 'set AUDIT_MASTER_KEY or AUDIT_MASTER_KEY_FILE, not both',
      });
    }
    if (
      config.AUDIT_MASTER_KEY === undefined &&
      config.AUDIT_MASTER_KEY_FILE === undefined &&
      !DEVELOPMENT_ENVIRONMENTS.includes(config.ENVIRONMENT)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_MASTER_KEY'],
        message: `is required when ENVIRONMENT is "${config.ENVIRONMENT}" (or AUDIT_MASTER_KEY_FILE; only development and test may use the development key)`,
      });
    }
  });

export type AuditConfig = z.infer<typeof auditConfigSchema> & { PORT: number };
