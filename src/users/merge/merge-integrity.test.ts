// R-ADM-10: nothing is lost. Every column that names a user is covered by the merge plan (a
// new table fails here until it decides what a merge does with its rows), and concurrent
// merges of one pair leave exactly one winner and a consistent database.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { dialect, startServer } from '../../../test/harness.ts';
import { connectedPair, ok, previewOf, read } from '../../../test/merge.ts';
import { userReferences } from './merge-plan.ts';

const s = await startServer();

/** `table.column` for every column of schema.ts, from its interfaces and the Schema map. */
function schemaColumns(): string[] {
  const text = readFileSync(new URL('../../db/schema.ts', import.meta.url), 'utf8');
  const tableOf = new Map<string, string>();
  const schemaBody = /export interface Schema \{([^}]*)\}/.exec(text)![1]!;
  for (const m of schemaBody.matchAll(/^\s*(\w+): (\w+);/gm)) tableOf.set(m[2]!, m[1]!);
  const columns: string[] = [];
  for (const m of text.matchAll(/export interface (\w+) \{([^}]*)\}/g)) {
    const table = tableOf.get(m[1]!);
    if (!table) continue;
    for (const c of m[2]!.matchAll(/^ {2}(\w+)\??:/gm)) columns.push(`${table}.${c[1]}`);
  }
  return columns;
}

/** Columns that name a user by their name: *user_id, who acted, whom it is about, by whom. */
const namesAUser = (column: string) =>
  /\.(\w*user_id|actor_id|subject_id|target_id|resource_id|absorbed_id|survivor_id|\w+_by)$/.test(column) ||
  column === 'users.id';

/** Columns whose names look like a user's but are not (each says what it names instead). */
const notAUser: Record<string, string> = {
  'sessions.suspended_by': 'the impersonation that stands in for the session',
};

/** Foreign keys to users.id in the live database. */
async function foreignKeysToUsers(): Promise<string[]> {
  const db = s.services.database.db;
  if (dialect === 'postgres') {
    const rows = await sql<{ t: string; c: string }>`
      select kcu.table_name as t, kcu.column_name as c
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
      where ccu.table_name = 'users' and kcu.table_schema = current_schema()`.execute(db);
    return rows.rows.map((r) => `${r.t}.${r.c}`);
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  const out: string[] = [];
  for (const { name } of tables.rows) {
    const fks = await sql<{
      table: string;
      from: string;
    }>`select * from pragma_foreign_key_list(${name})`.execute(db);
    for (const fk of fks.rows) if (fk.table === 'users') out.push(`${name}.${fk.from}`);
  }
  return out;
}

describe('connect profiles loses nothing (R-ADM-10)', () => {
  after(() => s.close());

  it('R-ADM-10: every user-id column of the schema is covered by the merge plan', async () => {
    const columns = schemaColumns();
    assert.ok(columns.includes('linked_accounts.user_id'), 'the schema was read');
    const covered = new Set(Object.keys(userReferences));
    const candidates = [...columns.filter(namesAUser), ...(await foreignKeysToUsers())].filter(
      (c) => !(c in notAUser),
    );
    assert.deepEqual(
      [...new Set(candidates.filter((c) => !covered.has(c)))],
      [],
      'columns the merge does not handle',
    );
    assert.deepEqual(
      [...covered].filter((c) => !columns.includes(c)),
      [],
      'entries of userReferences that name no column of the schema',
    );
  });

  it('R-ADM-10: concurrency: many merges of one pair at once, exactly one wins', async () => {
    const { a, b } = await connectedPair(s);
    const preview = ok(await previewOf(s, b.id, a.id), 200, 'preview');
    const body = { absorbId: a.id, survivorETag: preview.survivorETag, absorbETag: preview.absorbETag };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => s.admin.post(`/api/v1/admin/users/${b.id}/merge`, body)),
    );
    const statuses = answers.map((r) => r.status);
    assert.equal(statuses.filter((x) => x === 200).length, 1, `one winner: ${statuses.join(',')}`);
    for (const r of answers)
      // A loser sees the winner's commit in part of what it reads: a stale ETag (412), the
      // absorbed profile gone (404), or the pair no longer connected (409). Each changes nothing.
      if (r.status !== 200) assert.ok([412, 404, 409].includes(r.status), JSON.stringify(r.body));
    await assertConsistent(b.id, a.id);
  });

  it('R-ADM-10: concurrency: A into B and B into A at once, exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const { a, b } = await connectedPair(s);
      const intoB = ok(await previewOf(s, b.id, a.id), 200, 'preview into B');
      const intoA = ok(await previewOf(s, a.id, b.id), 200, 'preview into A');
      const answers = await Promise.all([
        s.admin.post(`/api/v1/admin/users/${b.id}/merge`, {
          absorbId: a.id,
          survivorETag: intoB.survivorETag,
          absorbETag: intoB.absorbETag,
        }),
        s.admin.post(`/api/v1/admin/users/${a.id}/merge`, {
          absorbId: b.id,
          survivorETag: intoA.survivorETag,
          absorbETag: intoA.absorbETag,
        }),
      ]);
      const won = answers.findIndex((r) => r.status === 200);
      assert.ok(won >= 0, JSON.stringify(answers.map((r) => r.body)));
      assert.ok([412, 404].includes(answers[1 - won]!.status), JSON.stringify(answers[1 - won]!.body));
      const [survivor, absorbed] = won === 0 ? [b.id, a.id] : [a.id, b.id];
      await assertConsistent(survivor, absorbed);
    }
  });
});

/** The absorbed row and everything naming it are gone; both addresses are with the survivor. */
async function assertConsistent(survivorId: string, absorbedId: string): Promise<void> {
  const db = s.services.database.db;
  const survivor = await read(s, survivorId);
  assert.equal(survivor.emails.length, 2, 'its own address and the absorbed one (the duplicate dropped)');
  assert.equal(survivor.emails.filter((e: any) => e.verified).length, 1);
  assert.equal(survivor.emails.filter((e: any) => e.primary).length, 1);
  assert.equal((await s.admin.get(`/api/v1/admin/users/${absorbedId}`)).body.code, 'user_merged');
  const left = await db.selectFrom('user_emails').select('id').where('user_id', '=', absorbedId).execute();
  assert.equal(left.length, 0);
  const merges = await db
    .selectFrom('user_merges')
    .selectAll()
    .where('absorbed_id', 'in', [survivorId, absorbedId])
    .execute();
  assert.equal(merges.length, 1);
  const events = ok(
    await s.admin.get(`/api/v1/admin/audit-events?action=user.merged&targetId=${survivorId}`),
    200,
    'audit',
  );
  assert.equal(events.items.length, 1, 'one merge event');
}
