import type { Db } from '../db/database.ts';

/** Active users whose second factor is a code by e-mail (issue 10 #14's start-up check). */
export async function countActiveEmailCodeUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('two_factor_method', '=', 'email')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
