import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import * as m0001 from './0001_initial.ts';
import * as m0003 from './0003_audit_chain.ts';

export interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

// Names sort in the order they run. Append; never edit a landed one.
export const migrations: Record<string, DialectMigration> = {
  '0001_initial': m0001,
  '0003_audit_chain': m0003,
};
