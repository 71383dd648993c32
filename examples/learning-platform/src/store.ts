import { DatabaseSync } from 'node:sqlite';

// The app's own storage (node:sqlite, a file or memory): its sessions and what learners did.
// Nothing here knows the actor's rights; an impersonation only leaves its note on progress.

export interface AppSession {
  id: string;
  sub: string;
  /** Behalf's session id (the ID token's `sid`), for back-channel logout. */
  sid: string | null;
  idToken: string;
  /** The ID token's claims as Behalf sent them (verified at sign-in). */
  claims: Record<string, unknown>;
  expiresAt: number;
}

export interface LessonDone {
  courseId: string;
  lessonId: string;
  doneAt: number;
  /** Set when an administrator completed it while acting as the user (R-IMP-07): a note only. */
  actingActorName: string | null;
  actingActorId: string | null;
}

export interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
  createdAt: number;
}

export class Store {
  private readonly db: DatabaseSync;

  constructor(file = ':memory:') {
    this.db = new DatabaseSync(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY, sub TEXT NOT NULL, sid TEXT, id_token TEXT NOT NULL,
        claims TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_sub ON sessions (sub);
      CREATE INDEX IF NOT EXISTS sessions_sid ON sessions (sid);
      CREATE TABLE IF NOT EXISTS pending (
        state TEXT PRIMARY KEY, verifier TEXT NOT NULL, nonce TEXT NOT NULL,
        return_to TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS progress (
        user_id TEXT NOT NULL, course_id TEXT NOT NULL, lesson_id TEXT NOT NULL,
        done_at INTEGER NOT NULL, acting_actor_id TEXT, acting_actor_name TEXT,
        PRIMARY KEY (user_id, course_id, lesson_id));
      CREATE TABLE IF NOT EXISTS purchases (
        user_id TEXT NOT NULL, product_id TEXT NOT NULL, bought_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS signatures (
        user_id TEXT NOT NULL, course_id TEXT NOT NULL, signed_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, course_id));
      CREATE TABLE IF NOT EXISTS calls (
        user_id TEXT NOT NULL, number TEXT NOT NULL, called_at INTEGER NOT NULL);
    `);
  }

  close(): void {
    this.db.close();
  }

  // Sessions

  createSession(s: AppSession): void {
    this.db
      .prepare('INSERT INTO sessions (id, sub, sid, id_token, claims, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.id, s.sub, s.sid, s.idToken, JSON.stringify(s.claims), s.expiresAt);
  }

  findSession(id: string, now: number): AppSession | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as
      | { id: string; sub: string; sid: string | null; id_token: string; claims: string; expires_at: number }
      | undefined;
    if (!row) return undefined;
    if (row.expires_at <= now) {
      this.deleteSession(id);
      return undefined;
    }
    return {
      id: row.id,
      sub: row.sub,
      sid: row.sid,
      idToken: row.id_token,
      claims: JSON.parse(row.claims) as Record<string, unknown>,
      expiresAt: row.expires_at,
    };
  }

  deleteSession(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  /**
   * Back-channel logout: the sessions of that Behalf session (sid), or, with a sub only, every
   * session of that user. Answers how many ended.
   */
  endSessions(event: { sub?: string; sid?: string }): number {
    if (event.sid) {
      const sql = event.sub
        ? 'DELETE FROM sessions WHERE sid = ? AND sub = ?'
        : 'DELETE FROM sessions WHERE sid = ?';
      const args = event.sub ? [event.sid, event.sub] : [event.sid];
      return Number(this.db.prepare(sql).run(...args).changes);
    }
    if (event.sub)
      return Number(this.db.prepare('DELETE FROM sessions WHERE sub = ?').run(event.sub).changes);
    return 0;
  }

  countSessions(sub: string): number {
    const row = this.db.prepare('SELECT count(*) AS n FROM sessions WHERE sub = ?').get(sub) as { n: number };
    return row.n;
  }

  // Sign-ins under way (state, PKCE verifier, nonce), taken once.

  savePending(p: Pending): void {
    this.db
      .prepare('INSERT INTO pending (state, verifier, nonce, return_to, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(p.state, p.verifier, p.nonce, p.returnTo, p.createdAt);
  }

  takePending(state: string, notBefore: number): Pending | undefined {
    this.db.prepare('DELETE FROM pending WHERE created_at < ?').run(notBefore);
    const row = this.db.prepare('DELETE FROM pending WHERE state = ? RETURNING *').get(state) as
      { state: string; verifier: string; nonce: string; return_to: string; created_at: number } | undefined;
    return (
      row && {
        state: row.state,
        verifier: row.verifier,
        nonce: row.nonce,
        returnTo: row.return_to,
        createdAt: row.created_at,
      }
    );
  }

  // What learners did, always under the subject's id (R-IMP-07).

  completeLesson(
    userId: string,
    courseId: string,
    lessonId: string,
    at: number,
    actor: { id: string; name: string | null } | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO progress (user_id, course_id, lesson_id, done_at, acting_actor_id, acting_actor_name)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(userId, courseId, lessonId, at, actor?.id ?? null, actor?.name ?? null);
  }

  progressOf(userId: string): LessonDone[] {
    const rows = this.db
      .prepare('SELECT * FROM progress WHERE user_id = ? ORDER BY done_at, course_id, lesson_id')
      .all(userId) as Array<{
      course_id: string;
      lesson_id: string;
      done_at: number;
      acting_actor_id: string | null;
      acting_actor_name: string | null;
    }>;
    return rows.map((r) => ({
      courseId: r.course_id,
      lessonId: r.lesson_id,
      doneAt: r.done_at,
      actingActorId: r.acting_actor_id,
      actingActorName: r.acting_actor_name,
    }));
  }

  recordPurchase(userId: string, productId: string, at: number): void {
    this.db
      .prepare('INSERT INTO purchases (user_id, product_id, bought_at) VALUES (?, ?, ?)')
      .run(userId, productId, at);
  }

  purchasesOf(userId: string): string[] {
    const rows = this.db.prepare('SELECT product_id FROM purchases WHERE user_id = ?').all(userId) as Array<{
      product_id: string;
    }>;
    return rows.map((r) => r.product_id);
  }

  recordSignature(userId: string, courseId: string, at: number): void {
    this.db
      .prepare(
        'INSERT INTO signatures (user_id, course_id, signed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(userId, courseId, at);
  }

  signed(userId: string, courseId: string): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM signatures WHERE user_id = ? AND course_id = ?')
      .get(userId, courseId);
  }

  recordCall(userId: string, number: string, at: number): void {
    this.db
      .prepare('INSERT INTO calls (user_id, number, called_at) VALUES (?, ?, ?)')
      .run(userId, number, at);
  }

  callsOf(userId: string): string[] {
    const rows = this.db
      .prepare('SELECT number FROM calls WHERE user_id = ? ORDER BY called_at')
      .all(userId) as Array<{
      number: string;
    }>;
    return rows.map((r) => r.number);
  }
}
