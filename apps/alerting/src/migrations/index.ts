import { CreateAlerts1763900000000 } from './1763900000000-create-alerts';
import { CreateNotifications1763900000001 } from './1763900000001-create-notifications';
import { CreateSilences1763900000002 } from './1763900000002-create-silences';
import { CreateAlertGroups1763900000004 } from './1763900000004-create-alert-groups';
import { CreateEpisodesAndHistory1763900000005 } from './1763900000005-create-episodes-and-history';
import { AddNotificationIntegration1763900000003 } from './1763900000003-add-notification-integration';
import { CreateAlertIntake1763900000006 } from './1763900000006-create-alert-intake';
import { CreateExpectFunction1763900000007 } from './1763900000007-create-expect-function';
import { CreateAlertIntakeQuarantine1763900000008 } from './1763900000008-create-alert-intake-quarantine';
import { CreateWatchdog1763900000009 } from './1763900000009-create-watchdog';

/** Every migration of the alerting database, oldest first. */
export const ALERTING_MIGRATIONS = [
  CreateAlerts1763900000000,
  CreateNotifications1763900000001,
  CreateSilences1763900000002,
  AddNotificationIntegration1763900000003,
  CreateAlertGroups1763900000004,
  CreateEpisodesAndHistory1763900000005,
  CreateAlertIntake1763900000006,
  CreateExpectFunction1763900000007,
  CreateAlertIntakeQuarantine1763900000008,
  CreateWatchdog1763900000009,
];
