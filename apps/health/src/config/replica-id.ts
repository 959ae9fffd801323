import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** Injection token of this replica's id (`<hostname>-<random>`), the owner name in target leases. */
export const REPLICA_ID = Symbol('REPLICA_ID');

export const replicaIdProvider = {
  provide: REPLICA_ID,
  useFactory: (): string => `${os.hostname()}-${randomUUID().slice(0, 8)}`,
};
