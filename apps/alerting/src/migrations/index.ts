import { CreateAlerts1763900000000 } from './1763900000000-create-alerts';
import { CreateNotifications1763900000001 } from './1763900000001-create-notifications';

/** Every migration of the alerting database, oldest first. */
export const ALERTING_MIGRATIONS = [CreateAlerts1763900000000, CreateNotifications1763900000001];
