import { CreateReportRuns1763900000000 } from './1763900000000-create-report-runs';

/** Every migration of the reporting database, oldest first. */
export const REPORTING_MIGRATIONS = [CreateReportRuns1763900000000];
