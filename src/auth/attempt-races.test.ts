import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { Secret, TOTP } from 'otpauth';
import { startServer, strongPassword, type Client, type TestServer } from '../../test/harness.ts';
import { LockoutGuard } from './lockout-guard.ts';

// Issue 7 #10 (R-ADM-14, R-OPS-05): limited guesses are reserved atomically before they are
// checked, so parallel requests never check more than the limit, a right guess racing a lock
// never lifts it, and the lock is always audited. Requests go out in parallel over 50
// keep-alive connections; the hash queue may refuse some with 429, which are not checks.

const threshold = 5;
const wrongPassword = 'Wrong-Password-12345';

interface Answer {
  status: number;
  body: any;
}

describe('issue 7 #10: attempts are reserved before they are checked', () => {
  let s: TestServer;
  let agent: Agent;
  before(async () => {
    s = await startServer();
    agent = new Agent({ keepAlive: true, maxSockets: 50 });
  });
  after(async () => {
    agent.destroy();
    await s.close();
  });
  beforeEach(async () => {
    const set = await s.admin.patch('/api/v1/admin/settings', {
      lockout: { threshold, durationSeconds: 900 },
    });
    assert.equal(set.status, 200);
  });

  /** One POST over the shared agent (at most 50 connections at once). */
  function post(path: string, body: unknown, cookie?: string): Promise<Answer> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${s.url}${path}`,
        {
          method: 'POST',
          agent,
          headers: {
            origin: s.url,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            ...(cookie ? { cookie } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  /** Counts checks of a password against this stored hash (stand-in hashes do not count). */
  async function countChecksOf(userId: string): Promise<{ checks: number; stop: () => void }> {
    const row = await s.services.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const hasher = s.services.hasher;
    const original = hasher.verify.bind(hasher);
    const counter = {
      checks: 0,
      stop: () => {
        // Own property removed: the prototype's method is back.
        delete (hasher as { verify?: unknown }).verify;
      },
    };
    hasher.verify = (phc: string, password: string) => {
      if (phc === row.password_hash) counter.checks++;
      return original(phc, password);
    };
    return counter;
  }

  async function events(userId: string, actions: string[]) {
    const rows = await s.services.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      // A login's event targets its session and names the user as who signed in.
      .where((eb) => eb.or([eb('target_id', '=', userId), eb('user_id', '=', userId)]))
      .where('action', 'in', actions)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ action: r.action, details: r.details ? JSON.parse(r.details) : {} }));
  }

  async function adminView(userId: string) {
    return (await s.admin.get(`/api/v1/admin/users/${userId}`)).body;
  }

  async function resetAttempts(userId: string) {
    assert.equal((await s.admin.delete(`/api/v1/admin/users/${userId}/login-attempts`)).status, 204);
  }

  async function mailedCode(address: string): Promise<string> {
    const row = await s.services.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('recipient', '=', address)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return /(\d{6})/.exec(row.body_text)![1]!;
  }

  const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

  /** The wrong guesses and one right one, the right one at a random place. */
  function withRightAmong<T>(wrong: T, right: T, count: number): T[] {
    const all = Array.from({ length: count }, () => wrong);
    all.splice(Math.floor(Math.random() * (count + 1)), 0, right);
    return all;
  }

  /**
   * Sends the guesses at once. A guess found right is held after its check, before the lockout
   * hears of it, until every other guess has been answered: so the right one races them all.
   * Unheld, a right guess that took the last place could complete its sign-in (which clears
   * the count, by design) before the last wrong ones reached the server, and those would then
   * be counted afresh: a later sequence of guesses, not this race.
   */
  async function raceRightAmong(
    guesses: string[],
    right: string,
    send: (guess: string) => Promise<Answer>,
  ): Promise<Answer[]> {
    const { lockout } = s.services;
    let othersAnswered!: () => void;
    const others = new Promise<void>((resolve) => (othersAnswered = resolve));
    lockout.attempt = (ctx, account, check, options, whenRefused) =>
      LockoutGuard.prototype.attempt.call(
        lockout,
        ctx,
        account,
        async () => {
          const isRight = await check();
          if (isRight) await others;
          return isRight;
        },
        options,
        whenRefused,
      );
    try {
      const pending = guesses.map(send);
      const rightAt = guesses.indexOf(right);
      void Promise.allSettled(pending.filter((_, i) => i !== rightAt)).then(othersAnswered);
      return await Promise.all(pending);
    } finally {
      // Own property removed: the prototype's method is back.
      delete (lockout as { attempt?: unknown }).attempt;
    }
  }

  it('issue 7 #10: 1,000 parallel wrong passwords check at most the threshold, lock, and audit auth.locked (R-ADM-14, R-OPS-05)', async () => {
    const user = await s.createUser({ password: strongPassword });
    const counter = await countChecksOf(user.id);
    let answers: Answer[];
    try {
      answers = await Promise.all(
        Array.from({ length: 1000 }, () =>
          post('/api/v1/auth/login', { login: user.primaryEmail, password: wrongPassword }),
        ),
      );
    } finally {
      counter.stop();
    }
    assert.ok(
      answers.every((a) => a.status === 401 || a.status === 429),
      'wrong answers or 429 only',
    );
    assert.ok(counter.checks <= threshold, `${counter.checks} passwords checked, threshold ${threshold}`);
    const audited = await events(user.id, ['auth.login_failed', 'auth.locked']);
    const counted = audited.filter((e) => e.details.failedLogins !== undefined);
    assert.equal(counted.length, counter.checks, 'each checked password is audited with its count');
    assert.equal(audited.filter((e) => e.action === 'auth.locked').length, 1, 'the lock is audited once');
    const view = await adminView(user.id);
    assert.ok(view.tags.includes('locked'));
    assert.equal(view.failedLogins, threshold);
  });

  it('issue 7 #10: a right password racing 30 wrong ones at the threshold is never accepted after the lock and never lifts it (10 bursts)', async () => {
    const user = await s.createUser({ password: strongPassword });
    for (let round = 0; round < 10; round++) {
      await resetAttempts(user.id);
      // One guess short of the lock: in the burst, exactly one attempt may be checked.
      for (let i = 0; i < threshold - 1; i++) {
        assert.equal((await s.client().login(user.primaryEmail, wrongPassword)).status, 401);
      }
      const before = (await events(user.id, ['auth.locked', 'auth.login'])).length;
      const counter = await countChecksOf(user.id);
      let answers: Answer[];
      try {
        answers = await raceRightAmong(
          withRightAmong(wrongPassword, strongPassword, 30),
          strongPassword,
          (password) => post('/api/v1/auth/login', { login: user.primaryEmail, password }),
        );
      } finally {
        counter.stop();
      }
      const accepted = answers.filter((a) => a.status === 200).length;
      const locks = (await events(user.id, ['auth.locked'])).length;
      const view = await adminView(user.id);
      assert.equal(counter.checks, 1, `round ${round}: one place was left, ${counter.checks} checked`);
      if (accepted === 1) {
        assert.ok(!view.tags.includes('locked'), `round ${round}: the right password got the last place`);
        assert.equal(view.failedLogins, 0);
      } else {
        assert.equal(accepted, 0);
        assert.ok(view.tags.includes('locked'), `round ${round}: the lock stands`);
      }
      const newEvents = (await events(user.id, ['auth.locked', 'auth.login'])).length - before;
      assert.equal(newEvents, 1, `round ${round}: either one lock or one login, audited`);
      assert.ok(locks >= 1 - accepted);
    }
  });

  it('issue 7 #10: parallel second-factor codes are checked at most up to the lockout; a right one racing the lock is refused', async () => {
    const user = await s.createUser({ password: strongPassword });
    assert.equal(
      (await s.admin.put(`/api/v1/admin/users/${user.id}/two-factor`, { method: 'email' })).status,
      200,
    );
    const checkedIn = async (c: Client) => {
      const res = await c.login(user.primaryEmail, strongPassword);
      assert.deepEqual(res.body, { secondFactorRequired: true, method: 'email' });
      return mailedCode(user.primaryEmail);
    };

    // 200 wrong codes on one challenge: at most the threshold are checked, and the lock is audited.
    const flood = s.client();
    const code = await checkedIn(flood);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        post('/api/v1/auth/login/second-factor', { code: otherCode(code) }, flood.cookieHeader),
      ),
    );
    assert.ok(answers.every((a) => a.status === 401));
    const checked = await events(user.id, ['auth.second_factor_failed', 'auth.locked']);
    const counted = checked.filter((e) => e.details.failedLogins !== undefined);
    assert.ok(counted.length <= threshold, `${counted.length} codes checked`);
    assert.equal(checked.filter((e) => e.action === 'auth.locked').length, 1, 'the lock is audited');

    // At the edge of the lockout: a right code among 30 wrong ones gets the one place or is refused.
    for (let round = 0; round < 10; round++) {
      await resetAttempts(user.id);
      const c = s.client();
      for (let i = 0; i < threshold - 1; i++) {
        assert.equal((await c.login(user.primaryEmail, wrongPassword)).status, 401);
      }
      const right = await checkedIn(c);
      assert.equal(
        (await adminView(user.id)).failedLogins,
        threshold - 1,
        'the password gave its place back',
      );
      const before = (await events(user.id, ['auth.second_factor_failed', 'auth.locked', 'auth.login']))
        .length;
      const burst = await raceRightAmong(withRightAmong(otherCode(right), right, 30), right, (guess) =>
        post('/api/v1/auth/login/second-factor', { code: guess }, c.cookieHeader),
      );
      const accepted = burst.filter((a) => a.status === 200).length;
      const view = await adminView(user.id);
      const after = await events(user.id, ['auth.second_factor_failed', 'auth.locked', 'auth.login']);
      const inBurst = after.slice(before).filter((e) => e.details.locked !== true);
      assert.equal(inBurst.length, 1, `round ${round}: one code checked: ${JSON.stringify(inBurst)}`);
      if (accepted === 1) {
        assert.equal(inBurst[0]!.action, 'auth.login');
        assert.ok(!view.tags.includes('locked'));
      } else {
        assert.equal(accepted, 0);
        assert.equal(inBurst[0]!.action, 'auth.locked');
        assert.ok(view.tags.includes('locked'), `round ${round}: the lock stands`);
      }
    }
  });

  it('issue 7 #10: parallel e-mail verification codes compare at most five; a right code beyond them is refused', async () => {
    for (let round = 0; round < 5; round++) {
      const user = await s.createUser({ password: strongPassword });
      const c = s.client();
      assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
      const address = `second-${round}-${user.id.slice(-6)}@example.test`.toLowerCase();
      const added = await c.post('/api/v1/account/emails', { address });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const emailId = added.body.emails.find((e: { address: string }) => e.address === address).id;
      const right = await mailedCode(address);
      const answers = await Promise.all(
        withRightAmong(otherCode(right), right, 50).map((code) =>
          post(`/api/v1/account/emails/${emailId}/verify`, { code }, c.cookieHeader),
        ),
      );
      const compared = answers.filter((a) => a.status === 422 && /not right/.test(a.body.detail)).length;
      const accepted = answers.filter((a) => a.status === 200).length;
      assert.ok(
        compared + accepted <= 5,
        `round ${round}: ${compared} wrong and ${accepted} right codes compared`,
      );
      const profile = await c.get('/api/v1/account/profile');
      const verified = profile.body.emails.find((e: { id: string }) => e.id === emailId).verified;
      assert.equal(verified, accepted === 1, 'verified exactly when the right code got a place');
    }
  });
  it('issue 7 #10: parallel authenticator enrolment codes compare at most five', async () => {
    const user = await s.createUser({ password: strongPassword });
    const c = s.client();
    assert.equal((await c.login(user.primaryEmail, strongPassword)).status, 200);
    const started = await c.post('/api/v1/account/two-factor/totp');
    assert.equal(started.status, 201);
    const totp = new TOTP({ secret: Secret.fromBase32(started.body.manualEntryKey), digits: 6, period: 30 });
    const right = totp.generate({ timestamp: s.clock.now() });
    // Far from the accepted window either side of now.
    const wrongCode = totp.generate({ timestamp: s.clock.now() + 3_600_000 });
    const answers = await Promise.all(
      withRightAmong(wrongCode, right, 50).map((code) =>
        post('/api/v1/account/two-factor/totp/confirm', { code }, c.cookieHeader),
      ),
    );
    const compared = answers.filter((a) => a.status === 422 && a.body.code === 'invalid_code').length;
    const accepted = answers.filter((a) => a.status === 200).length;
    assert.ok(compared + accepted <= 5, `${compared} wrong and ${accepted} right codes compared`);
    const profile = await c.get('/api/v1/account/profile');
    assert.equal(profile.body.twoFactorMethod, accepted === 1 ? 'totp' : 'none');
  });
});
