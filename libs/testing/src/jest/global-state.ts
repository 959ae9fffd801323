import type { PostgresHandle } from '../postgres';

export const GLOBAL_POSTGRES_KEY = '__vigilTestPostgres';

export type GlobalWithPostgres = typeof globalThis & { [GLOBAL_POSTGRES_KEY]?: PostgresHandle };
