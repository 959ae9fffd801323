import { CreateErrorTables1765000000000 } from './1765000000000-create-error-tables';

/** Every migration of the errors database, oldest first. */
export const ERRORS_MIGRATIONS = [CreateErrorTables1765000000000];
