import { Logger, type Provider } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { signingKey, type CheckpointSigningKey } from '../model/checkpoint-signer';

export const CHECKPOINT_SIGNING_KEY = Symbol('CHECKPOINT_SIGNING_KEY');
export const TRUSTED_CHECKPOINT_KEYS = Symbol('TRUSTED_CHECKPOINT_KEYS');

export const signingKeyProviders: Provider[] = [
  {
    provide: CHECKPOINT_SIGNING_KEY,
    inject: [SERVICE_CONFIG],
    useFactory: (config: AuditConfig): CheckpointSigningKey => {
      const key = signingKey(config.AUDIT_SIGNING_KEY);
      if (key.development) {
        new Logger('CheckpointSigningKey').warn(
          { key_id: key.keyId, environment: config.ENVIRONMENT },
          'AUDIT_SIGNING_KEY is unset: checkpoints are signed with the public development key and prove nothing',
        );
      }
      return key;
    },
  },
  {
    provide: TRUSTED_CHECKPOINT_KEYS,
    inject: [CHECKPOINT_SIGNING_KEY],
    useFactory: (key: CheckpointSigningKey): ReadonlyMap<string, KeyObject> =>
      new Map([[key.keyId, key.publicKey]]),
  },
];
