import { CreateReportRuns1763900000000 } from './1763900000000-create-report-runs';
import { AddReportArchive1764000000000 } from './1764000000000-add-report-archive';

/** Every migration of the reporting database, oldest first. */
export const REPORTING_MIGRATIONS = [CreateReportRuns1763900000000, AddReportArchive1764000000000];
