import { CreateCheckTables1763810000000 } from './1763810000000-create-check-tables';
import { CreateHistoryAndLeases1763900000000 } from './1763900000000-create-history-and-leases';
import { CreateHeartbeatTables1765000000000 } from './1765000000000-create-heartbeat-tables';
import { CreateAlertRules1765100000000 } from './1765100000000-create-alert-rules';
import { AddCertificateExpiry1765300000000 } from './1765300000000-add-certificate-expiry';
import { CreateHeartbeatEvaluations1765400000000 } from './1765400000000-create-heartbeat-evaluations';
import { DedupeCheckInPings1765500000000 } from './1765500000000-dedupe-check-in-pings';

/** Every migration of the health database, oldest first. */
export const HEALTH_MIGRATIONS = [
  CreateCheckTables1763810000000,
  CreateHistoryAndLeases1763900000000,
  CreateHeartbeatTables1765000000000,
  CreateAlertRules1765100000000,
  AddCertificateExpiry1765300000000,
  CreateHeartbeatEvaluations1765400000000,
  DedupeCheckInPings1765500000000,
];
