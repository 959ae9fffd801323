import { Logger, type Provider } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { masterKeyRing } from '../config/master-keys';
import { SubjectKeyStore } from '../storage/subject-key.store';
import { SubjectKeys } from './subject-keys';

export const subjectKeysProvider: Provider = {
  provide: SubjectKeys,
  inject: [SERVICE_CONFIG, SubjectKeyStore],
  useFactory: (config: AuditConfig, store: SubjectKeyStore): SubjectKeys => {
    const ring = masterKeyRing(config);
    if (ring.development) {
      new Logger('SubjectKeys').warn(
        { master_key_id: ring.current.id, environment: config.ENVIRONMENT },
        'AUDIT_MASTER_KEY is unset: subject keys are wrapped with the public development key and erasure protects nothing',
      );
    }
    return new SubjectKeys(store, ring, {
      cacheSize: config.AUDIT_SUBJECT_KEY_CACHE_SIZE,
      cacheTtlMs: config.AUDIT_SUBJECT_KEY_CACHE_TTL_MS,
    });
  },
};
