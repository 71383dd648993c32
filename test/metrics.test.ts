// R-OPS-04: GET /metrics in Prometheus' text format, for this host or holders of METRICS_TOKEN.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminEmail, adminPassword, startServer, strongPassword, type TestServer } from './harness.ts';
import { actAs } from './impersonation-helpers.ts';
import { loadConfig } from '../src/config.ts';

/** The value of one series (name and labels exactly as printed), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('R-OPS-04: metrics', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ METRICS_TOKEN: 'a-token-of-enough-length-123' });
  });
  after(() => s.close());

  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await s.client().get('/metrics', headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return res.body as string;
  };

  it('R-OPS-04: requests by route pattern and status, logins by outcome, impersonations, gauges read at scrape', async () => {
    const before = await scrape();
    const u = await s.createUser({ password: strongPassword });
    assert.equal((await s.client().login(u.primaryEmail, strongPassword)).status, 200);
    assert.equal((await s.client().login(u.primaryEmail, 'Wrong-Password-1')).status, 401);
    assert.equal((await s.admin.get(`/api/v1/admin/users/${u.id}`)).status, 200);
    const actor = s.client();
    await actor.login(adminEmail, adminPassword);
    await actAs(actor, u.id);
    assert.equal((await actor.delete('/api/v1/impersonation')).status < 400, true);
    const text = await scrape();
    if (s.services.database.dialect === 'postgres') {
      assert.equal(sample(text, 'behalf_db_pool_connections{state="total"}')! >= 1, true);
    }

    const success = 'behalf_logins_total{outcome="success"}';
    assert.ok(sample(text, success)! >= (sample(before, success) ?? 0) + 2, 'the user and the actor');
    assert.equal(
      sample(text, 'behalf_logins_total{outcome="failed"}'),
      (sample(before, 'behalf_logins_total{outcome="failed"}') ?? 0) + 1,
    );
    // The pattern, not the user's ID: one series per route, however many users.
    assert.ok(
      sample(
        text,
        'behalf_http_requests_total{method="GET",route="/api/v1/admin/users/:id",status="200"}',
      )! >= 1,
    );
    assert.ok(!text.includes(u.id), 'no IDs in labels');
    assert.match(
      text,
      /behalf_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/api\/v1\/auth\/login",status="200"\} \d+/,
    );
    assert.equal(
      sample(text, 'behalf_impersonations_started_total'),
      (sample(before, 'behalf_impersonations_started_total') ?? 0) + 1,
    );
    assert.ok(sample(text, 'behalf_impersonations_ended_total{reason="back"}')! >= 1);
    assert.equal(sample(text, 'behalf_impersonations_active'), 0);
    assert.ok(sample(text, 'behalf_sessions_active')! >= 2);
    assert.ok(sample(text, 'behalf_audit_head_seq')! > sample(before, 'behalf_audit_head_seq')!);
    assert.ok(sample(text, 'behalf_outbox_mails{status="pending"}')! >= 0);
    assert.equal(sample(text, 'behalf_hash_queue_depth'), 0);
    assert.equal(sample(text, 'behalf_hash_refusals_total'), 0);
    assert.equal(sample(text, 'behalf_lockouts_total'), 0);
    assert.ok(sample(text, 'nodejs_eventloop_lag_p99_seconds')! >= 0, 'event-loop delay');
  });

  it('R-OPS-04: a lockout is counted', async () => {
    const u = await s.createUser({ password: strongPassword });
    const before = sample(await scrape(), 'behalf_lockouts_total') ?? 0;
    assert.equal((await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 2 } })).status, 200);
    try {
      for (let i = 0; i < 2; i++) await s.client().login(u.primaryEmail, 'Wrong-Password-1');
    } finally {
      await s.admin.patch('/api/v1/admin/settings', { lockout: { threshold: 5 } });
    }
    const text = await scrape();
    assert.equal(sample(text, 'behalf_lockouts_total'), before + 1);
    assert.ok(sample(text, 'behalf_logins_total{outcome="locked"}')! >= 1);
  });

  it('R-OPS-04: a forwarded request needs the bearer token; a wrong one is refused', async () => {
    const proxied = { 'x-forwarded-for': '203.0.113.7' };
    const refused = await s.client().get('/metrics', proxied);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'forbidden');
    const wrong = await s
      .client()
      .get('/metrics', { ...proxied, authorization: 'Bearer not-the-token-at-all' });
    assert.equal(wrong.status, 403);
    await scrape({ ...proxied, authorization: 'Bearer a-token-of-enough-length-123' });
  });

  it('R-OPS-04: without METRICS_TOKEN only this host reads metrics; a short token is refused at start', async () => {
    const plain = await startServer();
    try {
      assert.equal((await plain.client().get('/metrics')).status, 200);
      assert.equal((await plain.client().get('/metrics', { 'x-forwarded-for': '203.0.113.7' })).status, 403);
    } finally {
      await plain.close();
    }
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN: must be 16 or more/);
  });
});
