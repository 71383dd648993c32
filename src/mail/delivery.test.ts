// The pure rules of mail delivery, by table (R-OPS-03).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressOf,
  afterFailure,
  describeError,
  messageIdFor,
  retryDelayMs,
  visibleContent,
} from './delivery.ts';

describe('mail delivery rules', () => {
  it('R-OPS-03: backoff starts at 30 s, doubles, and stops growing at one hour', () => {
    const table: Array<[number, number]> = [
      [1, 30_000],
      [2, 60_000],
      [3, 120_000],
      [4, 240_000],
      [5, 480_000],
      [6, 960_000],
      [7, 1_920_000],
      [8, 3_600_000],
      [9, 3_600_000],
      [50, 3_600_000],
      [0, 30_000],
    ];
    for (const [attempts, want] of table) assert.equal(retryDelayMs(attempts), want, `after ${attempts}`);
  });

  it('R-OPS-03: retries until the last allowed attempt, then gives up', () => {
    assert.deepEqual(afterFailure(1, 3, 1000), { retryAt: 31_000 });
    assert.deepEqual(afterFailure(2, 3, 1000), { retryAt: 61_000 });
    assert.deepEqual(afterFailure(3, 3, 1000), { giveUp: true });
  });

  it('Message-IDs derive from the outbox id and the sender domain', () => {
    const id = '01890000-0000-7000-8000-000000000001';
    assert.equal(messageIdFor(id, 'Behalf <no-reply@example.org>'), `<${id}@example.org>`);
    assert.equal(messageIdFor(id, 'mailer@mail.example.org'), `<${id}@mail.example.org>`);
    assert.equal(messageIdFor(id, 'Behalf <no-reply@localhost>'), `<${id}@localhost>`);
    assert.equal(messageIdFor(id, 'broken'), `<${id}@behalf.invalid>`);
    assert.equal(messageIdFor(id, 'x'), messageIdFor(id, 'x'), 'the same every time');
    assert.equal(addressOf('"Team, Behalf" <a@b.c>'), 'a@b.c');
  });

  it('login codes are hidden, other mail is shown', () => {
    assert.deepEqual(visibleContent('login_code', 'Your login code: 123456', 'code 123456'), {
      subject: '[hidden]',
      body: '[hidden]',
    });
    assert.deepEqual(visibleContent('notification', 's', 'b'), { subject: 's', body: 'b' });
    assert.deepEqual(visibleContent('email', 's', 'b'), { subject: 's', body: 'b' });
  });

  it('errors become one bounded line with the SMTP code', () => {
    const e = Object.assign(new Error('Mailbox\n  busy'), { responseCode: 451, code: 'EENVELOPE' });
    assert.equal(describeError(e), '451 EENVELOPE Mailbox busy');
    assert.equal(describeError('x'.repeat(900)).length, 500);
    assert.equal(describeError(null), 'null');
  });
});
