import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, strongPassword, type TestServer } from '../../test/harness.ts';
import {
  adminId,
  createLoginService,
  linkAccount,
  linkDirectly,
  setShownOnSignIn,
} from '../../test/login-services.ts';

// R-ADM-04 computed from real data: the tag `cannot-log-in` on the user, in the list, and the
// list's filter agree, for every combination of password, links at shown and hidden services
// and the password-login switch, and follow a service switched on or off the sign-in page at
// once (nothing is stored).

type Links = 'none' | 'shown' | 'hidden' | 'both';
interface Case {
  password: boolean;
  links: Links;
  /** Expected `cannot-log-in` with password login [on, off]. */
  cannot: [boolean, boolean];
}

const table: Case[] = [
  { password: true, links: 'none', cannot: [false, true] },
  { password: false, links: 'none', cannot: [true, true] },
  { password: true, links: 'shown', cannot: [false, false] },
  { password: false, links: 'shown', cannot: [false, false] },
  { password: true, links: 'hidden', cannot: [false, true] },
  { password: false, links: 'hidden', cannot: [true, true] },
  { password: false, links: 'both', cannot: [false, false] },
  { password: true, links: 'both', cannot: [false, false] },
];

describe('cannot log in, computed (R-ADM-04)', () => {
  let s: TestServer;
  let shown: { id: string };
  let hidden: { id: string };
  const users: { id: string; lastName: string; c: Case }[] = [];

  before(async () => {
    s = await startServer();
    shown = await createLoginService(s, { showOnSignIn: true });
    hidden = await createLoginService(s, { showOnSignIn: false });
    // R-ADM-17: the superadmin keeps a way in through a service that stays shown, so that
    // password login may be switched off.
    const anchor = await createLoginService(s, { showOnSignIn: true });
    await linkDirectly(s, await adminId(s), anchor.id, 'the-superadmin');
    for (const [i, c] of table.entries()) {
      const lastName = `Cannot${i}x${Date.now().toString(36)}`;
      const user = await s.createUser({ lastName, ...(c.password ? { password: strongPassword } : {}) });
      if (c.links === 'shown' || c.links === 'both') await linkAccount(s, user.id, shown.id, `s-${user.id}`);
      if (c.links === 'hidden' || c.links === 'both')
        await linkAccount(s, user.id, hidden.id, `h-${user.id}`);
      users.push({ id: user.id, lastName, c });
    }
  });
  after(() => s.close());

  const passwordLogin = async (on: boolean) => {
    const res = await s.admin.patch('/api/v1/admin/settings', { login: { passwordLoginEnabled: on } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  /** The tag on the user page, in the list row, and membership in the filter, per user. */
  async function observed(): Promise<{ page: boolean; row: boolean; filter: boolean }[]> {
    const filtered = new Set<string>();
    let cursor: string | null = null;
    do {
      const q: string = `/api/v1/admin/users?tag=cannot-log-in&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await s.admin.get(q);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (const u of res.body.items) {
        assert.ok(u.tags.includes('cannot-log-in'), 'every row the filter lists carries the tag');
        filtered.add(u.id);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    return Promise.all(
      users.map(async (u) => {
        const page = (await s.admin.get(`/api/v1/admin/users/${u.id}`)).body.tags.includes('cannot-log-in');
        const rows = (await s.admin.get(`/api/v1/admin/users?q=${u.lastName}`)).body.items;
        assert.equal(rows.length, 1);
        return { page, row: rows[0].tags.includes('cannot-log-in'), filter: filtered.has(u.id) };
      }),
    );
  }

  async function assertAll(expected: (c: Case) => boolean, what: string) {
    const seen = await observed();
    users.forEach((u, i) => {
      const want = expected(u.c);
      const name = `${what}: password ${u.c.password}, links ${u.c.links}`;
      assert.deepEqual(seen[i], { page: want, row: want, filter: want }, name);
    });
  }

  it('R-ADM-04: the tag (user page, list) and the filter agree with the table, password login on and off', async () => {
    await assertAll((c) => c.cannot[0], 'password login on');
    await passwordLogin(false);
    try {
      await assertAll((c) => c.cannot[1], 'password login off');
    } finally {
      await passwordLogin(true);
    }
  });

  it('R-ADM-04: switching a service off or on the sign-in page changes the tag and the filter at once', async () => {
    const byPassword = (c: Case, on: boolean) => on && c.password;
    // The shown service leaves the sign-in page: its links are no way in any more.
    await setShownOnSignIn(s, shown.id, false);
    try {
      await assertAll((c) => !byPassword(c, true), 'no service shown, password login on');
      // The hidden one comes on: its links are.
      await setShownOnSignIn(s, hidden.id, true);
      const viaHidden = (c: Case) => c.links === 'hidden' || c.links === 'both';
      await assertAll((c) => !byPassword(c, true) && !viaHidden(c), 'only the other service shown');
      await passwordLogin(false);
      try {
        await assertAll((c) => !viaHidden(c), 'only the other service shown, password login off');
      } finally {
        await passwordLogin(true);
      }
    } finally {
      await setShownOnSignIn(s, shown.id, true);
      await setShownOnSignIn(s, hidden.id, false);
    }
    await assertAll((c) => c.cannot[0], 'back as it was');
  });
});
