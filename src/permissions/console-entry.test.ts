// Who enters the admin console at all (R-IMP-02, R-IMP-03, issue 10 #19), as a table: actor kind
// x (plain session, impersonating) x (route closed to power users, route open to them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mayAdministerAtAll, type ConsoleDenial } from './console-entry.ts';
import type { Role, SystemPermission } from './catalogue.ts';

type Cell = ConsoleDenial | null;
const kinds: Record<string, { role: Role; systemPermissions: SystemPermission[] }> = {
  superadmin: { role: 'superadmin', systemPermissions: [] },
  'system admin with users.read': { role: 'user', systemPermissions: ['users.read'] },
  'power user': { role: 'power-user', systemPermissions: [] },
  'plain user': { role: 'user', systemPermissions: [] },
};

const M = 'missing_permission';
const F = 'forbidden';
const I = 'admin_unavailable_while_impersonating';
// Columns: [closed route, open route] in a plain session, then the same while impersonating (the
// actor is then the subject whose rights the request runs with).
const table: Record<keyof typeof kinds, [Cell, Cell, Cell, Cell]> = {
  superadmin: [null, null, null, null],
  'system admin with users.read': [null, null, null, null],
  'power user': [M, null, M, null],
  'plain user': [F, F, I, I],
};

describe('mayAdministerAtAll (R-IMP-02, R-IMP-03)', () => {
  for (const [kind, cells] of Object.entries(table)) {
    it(`R-IMP-02 R-IMP-03: ${kind}`, () => {
      const actor = kinds[kind]!;
      const got = [false, true].flatMap((impersonating) =>
        [false, true].map((openToPowerUsers) =>
          mayAdministerAtAll(actor, { impersonating, openToPowerUsers }),
        ),
      );
      assert.deepEqual(got, cells);
    });
  }

  it('R-IMP-02: a power user granted users.read is an administrator and enters every route', () => {
    const actor = { role: 'power-user' as const, systemPermissions: ['users.read' as const] };
    assert.equal(mayAdministerAtAll(actor, { impersonating: false, openToPowerUsers: false }), null);
  });
});
