import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Services } from '../services.ts';
import { auditListeners } from '../audit/audit.ts';
import { AppError } from '../shared/errors.ts';
import {
  auditHeadSeq,
  countActiveSessions,
  countOpenImpersonations,
  countOutboxByStatus,
  oldestPendingMail,
} from './metrics.store.ts';

// GET /metrics in Prometheus' text format (issue 11). The hot path only counts in memory (one
// counter and one histogram observation per request, counters on audit events); everything that
// needs the database (sessions, impersonations, outbox, audit head) is read when scraped.
// Answers loopback callers, and others only with `Authorization: Bearer $METRICS_TOKEN`.

/** Where a login's audit action says it went. */
const loginOutcomes: Record<string, string> = {
  'auth.login': 'success',
  'auth.login_failed': 'failed',
  'auth.locked': 'locked',
  'auth.second_factor_failed': 'second_factor_failed',
};

/**
 * Counts answered requests of one series (method, route pattern, status) with their duration:
 * what the onResponse hook does, for answers given outside Fastify.
 */
export type RequestRecorder = (method: string, route: string, status: number) => (seconds: number) => void;

export function registerMetrics(app: FastifyInstance, services: Services): RequestRecorder {
  const registry = new Registry();
  // Process, heap, GC and event-loop delay (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const requests = new Counter({
    name: 'behalf_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'behalf_http_request_duration_seconds',
    help: 'Time to answer, by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new Counter({
    name: 'behalf_logins_total',
    help: 'Sign-in attempts by outcome: success, failed, locked (the attempt that locked), second_factor_failed, refused (429 before any check)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const lockouts = new Counter({
    name: 'behalf_lockouts_total',
    help: 'Accounts locked after too many wrong attempts',
    registers: [registry],
  });
  const started = new Counter({
    name: 'behalf_impersonations_started_total',
    help: 'Impersonations started',
    registers: [registry],
  });
  const ended = new Counter({
    name: 'behalf_impersonations_ended_total',
    help: 'Impersonations ended, by end reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const hashStats = () => services.hasher.stats();
  new Gauge({
    name: 'behalf_hash_queue_depth',
    help: 'Password hashes waiting for a slot (or promised one)',
    registers: [registry],
    collect() {
      this.set(hashStats().queued);
    },
  });
  new Gauge({
    name: 'behalf_hash_running',
    help: 'Password hashes being computed',
    registers: [registry],
    collect() {
      this.set(hashStats().running);
    },
  });
  // A counter kept by the hasher itself; shown as the total it has reached.
  new Counter({
    name: 'behalf_hash_refusals_total',
    help: 'Requests refused with 429 because the hash queue was full',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(hashStats().refused);
    },
  });

  const db = services.database.db;
  const now = () => services.clock.now();
  new Gauge({
    name: 'behalf_sessions_active',
    help: 'Sessions not past their absolute timeout (impersonation sessions included)',
    registers: [registry],
    async collect() {
      this.set(await countActiveSessions(db, now()));
    },
  });
  new Gauge({
    name: 'behalf_impersonations_active',
    help: 'Impersonations not ended',
    registers: [registry],
    async collect() {
      this.set(await countOpenImpersonations(db));
    },
  });
  new Gauge({
    name: 'behalf_outbox_mails',
    help: 'Mails in the outbox by status: pending (the backlog), failed (given up), sent, logged',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await countOutboxByStatus(db);
      this.reset();
      for (const status of ['pending', 'failed']) this.set({ status }, 0);
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'behalf_outbox_oldest_pending_seconds',
    help: 'Age of the oldest mail waiting in the outbox (0 when none)',
    registers: [registry],
    async collect() {
      const oldest = await oldestPendingMail(db);
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'behalf_audit_head_seq',
    help: 'Sequence number of the newest audit event (the chain head)',
    registers: [registry],
    async collect() {
      this.set(await auditHeadSeq(db));
    },
  });
  new Gauge({
    name: 'behalf_db_pool_connections',
    help: 'PostgreSQL pool connections by state: total, idle, waiting (clients waiting for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = services.database.poolStats();
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });

  const onAudit = (action: string, details: Record<string, unknown> | undefined) => {
    const outcome = loginOutcomes[action];
    if (outcome) logins.inc({ outcome });
    if (action === 'auth.locked') lockouts.inc();
    else if (action === 'impersonation.started') started.inc();
    else if (action === 'impersonation.ended') {
      const reason = details?.['reason'];
      ended.inc({ reason: typeof reason === 'string' ? reason : 'unknown' });
    }
  };
  auditListeners.add(onAudit);
  app.addHook('onClose', async () => {
    auditListeners.delete(onAudit);
  });

  // One bound child per (method, route, status): prom-client otherwise hashes the label object
  // on every observation, on the path of every request.
  const series = new Map<string, (seconds: number) => void>();
  const seriesOf = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let s = series.get(key);
    if (!s) {
      const labels = { method, route, status: String(status) };
      const counter = requests.labels(labels);
      const histogram = latency.labels(labels);
      s = (seconds) => {
        counter.inc();
        histogram.observe(seconds);
      };
      series.set(key, s);
    }
    return s;
  };
  const record = (method: string, route: string, status: number, seconds: number) =>
    seriesOf(method, route, status)(seconds);
  app.addHook('onResponse', (req, reply, done) => {
    // The route's pattern, never the raw path: IDs in paths would make a series per user.
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') {
      record(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
      if (reply.statusCode === 429 && route.startsWith('/api/v1/auth/login'))
        logins.inc({ outcome: 'refused' });
    }
    done();
  });

  const token = services.config.metricsToken;
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!mayScrape(req, token)) {
      throw new AppError(
        'forbidden',
        token
          ? 'Metrics need the bearer token METRICS_TOKEN, or a request from this host.'
          : 'Metrics answer requests from this host only (set METRICS_TOKEN to allow others).',
      );
    }
    void reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
  return seriesOf;
}

/**
 * Loopback, unless a proxy forwarded it (a reverse proxy on this host would make every caller
 * look local); or anyone with the token.
 */
function mayScrape(req: FastifyRequest, token: string | null): boolean {
  const header = req.headers.authorization;
  if (token && header?.startsWith('Bearer ')) {
    // Compared as hashes: equal lengths, and no timing that tells how much of it matched.
    const given = createHash('sha256').update(header.slice(7)).digest();
    if (timingSafeEqual(given, createHash('sha256').update(token).digest())) return true;
  }
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  return loopback && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}
