import type { Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_user_search.ts';
import * as m0003 from './0003_audit_chain.ts';
import * as m0004 from './0004_notifications.ts';
import * as m0005 from './0005_terms.ts';
import * as m0006 from './0006_orgs.ts';
import * as m0007 from './0007_impersonation.ts';
import * as m0008 from './0008_account.ts';
import * as m0009 from './0009_audit_integrity.ts';
import * as m0010 from './0010_attempt_reservation.ts';
import * as m0011 from './0011_session_rotation.ts';
import * as m0012 from './0012_impersonation_flow.ts';
import * as m0014 from './0014_username_key.ts';
import * as m0015 from './0015_oidc.ts';
import * as m0016 from './0016_login_services.ts';
import * as m0017 from './0017_oidc_logout.ts';
import * as m0018 from './0018_impersonation_mode.ts';
import * as m0019 from './0019_user_merges.ts';
import * as m0020 from './0020_impersonation_approvals.ts';
import * as m0021 from './0021_search_fold.ts';
import * as m0023 from './0023_session_proof.ts';

export interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

// Names sort in the order they run. Append; never edit a landed one.
export const migrations: Record<string, DialectMigration> = {
  '0001_initial': m0001,
  '0002_user_search': m0002,
  '0003_audit_chain': m0003,
  '0004_notifications': m0004,
  '0005_terms': m0005,
  '0006_orgs': m0006,
  '0007_impersonation': m0007,
  '0008_account': m0008,
  '0009_audit_integrity': m0009,
  '0010_attempt_reservation': m0010,
  '0011_session_rotation': m0011,
  '0012_impersonation_flow': m0012,
  '0014_username_key': m0014,
  '0015_oidc': m0015,
  '0016_login_services': m0016,
  '0017_oidc_logout': m0017,
  '0018_impersonation_mode': m0018,
  '0019_user_merges': m0019,
  '0020_impersonation_approvals': m0020,
  '0021_search_fold': m0021,
  '0023_session_proof': m0023,
};
