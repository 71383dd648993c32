import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';

// R-IMP-02: a power user's reach = the users assigned to them + the members of their assigned
// groups + the users of their assigned domains. The impersonation rule (impersonation/rule.ts)
// and the admin user routes read it from here, in SQL, so that it is never computed twice.

export interface Reach {
  /** The subject is assigned directly, through a group, or through a domain. */
  assigned: boolean;
  /** The power user's assigned domains (all of them, whoever the subject is), sorted. */
  assignedDomainIds: string[];
  /** The subject's domain; null without one, or when there is no such user. */
  subjectDomainId: string | null;
}

/**
 * One round trip: the subject's domain, and those of the power user's resources that could
 * bear on the subject (every domain, the subject as a user, the subject's groups). Served by the
 * primary keys of users and power_user_resources and by group_members_user.
 */
export async function reachOf(db: Db, powerUserId: string, subjectId: string): Promise<Reach> {
  return (await reachesOf(db, [powerUserId], subjectId)).get(powerUserId)!;
}

/**
 * reachOf for several power users over one subject, still in one round trip (issue 12 #4: the
 * four-eyes approvers of a request). Answers a reach for every id asked, also for ids that
 * hold no resources or name no power user.
 */
export async function reachesOf(
  db: Db,
  powerUserIds: readonly string[],
  subjectId: string,
): Promise<Map<string, Reach>> {
  const answer = new Map<string, Reach>();
  if (powerUserIds.length === 0) return answer;
  const { rows } = await sql<{ kind: string; power_user_id: string | null; resource_id: string | null }>`
    select 'subject' as kind, null as power_user_id, domain_id as resource_id from users where id = ${subjectId}
    union all
    select kind, power_user_id, resource_id from power_user_resources
    where power_user_id in (${sql.join([...powerUserIds])})
      and (kind = 'domain'
        or (kind = 'user' and resource_id = ${subjectId})
        or (kind = 'group' and resource_id in (select group_id from group_members where user_id = ${subjectId})))
  `.execute(db);
  const subjectDomainId = rows.find((r) => r.kind === 'subject')?.resource_id ?? null;
  for (const id of powerUserIds) {
    const own = rows.filter((r) => r.power_user_id === id);
    const assignedDomainIds = own
      .filter((r) => r.kind === 'domain')
      .map((r) => r.resource_id!)
      .sort();
    const assigned =
      own.some((r) => r.kind === 'user' || r.kind === 'group') ||
      (subjectDomainId !== null && assignedDomainIds.includes(subjectDomainId));
    answer.set(id, { assigned, assignedDomainIds, subjectDomainId });
  }
  return answer;
}

/**
 * A condition on a users row (`table` is its name or alias in the query): the user is in the
 * power user's reach. One `id in (...)` over the union of the three ways, so that a planner
 * may start from the reach (a few assigned users) as well as from the users table (a large
 * domain), whichever is cheaper. Meant for power users only; administrators' lists never add it.
 */
export function inReachOf(powerUserId: string, table = 'users'): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(`${table}.id`)} in (
    select resource_id from power_user_resources where power_user_id = ${powerUserId} and kind = 'user'
    union
    select gm.user_id from group_members gm
      join power_user_resources r on r.resource_id = gm.group_id
      where r.power_user_id = ${powerUserId} and r.kind = 'group'
    union
    select du.id from users du
      join power_user_resources r on r.resource_id = du.domain_id
      where r.power_user_id = ${powerUserId} and r.kind = 'domain'
  )`;
}
