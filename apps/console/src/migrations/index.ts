import { CreateConsoleSessions1764600000000 } from './1764600000000-create-console-sessions';
import { CreateConsoleOidcLogins1764700000000 } from './1764700000000-create-console-oidc-logins';

/** Every migration of the console database, oldest first. */
export const CONSOLE_MIGRATIONS = [CreateConsoleSessions1764600000000, CreateConsoleOidcLogins1764700000000];
