import { openDatabase } from '../../src/db/database.ts';
import { Client } from './http.ts';
import { runLoad } from './load.ts';

// Small helpers of the runner that read Behalf's database or drive one of its endpoints, on
// either engine (the URL says which).

type Login = { email: string; password: string };

/** Sessions whose first request also wrote last_seen_at (they were over a minute old). */
export async function touchedSessions(url: string): Promise<number> {
  const database = await openDatabase(url);
  try {
    const row = await database.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_agent', '=', 'behalf-bench')
      .whereRef('last_seen_at', '>', 'created_at')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await database.close();
  }
}

/** Plain users to edit over HTTP, each once per pass, so concurrent edits never collide. */
export async function userIds(url: string): Promise<string[]> {
  const database = await openDatabase(url);
  try {
    const rows = await database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'user')
      .limit(20_000)
      .execute();
    return rows.map((r) => r.id);
  } finally {
    await database.close();
  }
}

/** The real endpoint: a superadmin renames users, one PATCH each, without If-Match. */
export async function patchRate(
  server: { url: string },
  ids: string[],
  connections: number,
  admin: Login,
  duration: number,
) {
  const client = new Client(server.url);
  await client.must('POST', '/api/v1/auth/login', { login: admin.email, password: admin.password });
  let next = 0;
  return runLoad({
    url: server.url,
    connections,
    duration,
    maxSeconds: duration + 10,
    requests: [
      {
        method: 'PATCH',
        path: '/',
        setupRequest: (req) => {
          const n = next++;
          return {
            ...req,
            path: `/api/v1/admin/users/${ids[n % ids.length]}`,
            headers: { cookie: client.cookie, origin: server.url, 'content-type': 'application/json' },
            body: JSON.stringify({ firstName: `Http${n}` }),
          };
        },
      },
    ],
  });
}
