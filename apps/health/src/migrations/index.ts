import { CreateCheckTables1763810000000 } from './1763810000000-create-check-tables';

/** Every migration of the health database, oldest first. */
export const HEALTH_MIGRATIONS = [CreateCheckTables1763810000000];
