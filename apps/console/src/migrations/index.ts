import { CreateConsoleSessions1764600000000 } from './1764600000000-create-console-sessions';

/** Every migration of the console database, oldest first. */
export const CONSOLE_MIGRATIONS = [CreateConsoleSessions1764600000000];
