import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Clock } from '../shared/clock.ts';

// The counters behind sign-in admission (src/http/admission.ts): fixed windows per key, in this
// process's memory, on the injected clock (the plugin's own LocalStore reads Date.now(), so
// tests could not move its windows without sleeping). Bounded: a spray of invented login names
// evicts the oldest windows instead of growing without end.

interface Window {
  count: number;
  startedAt: number;
}

type Reply = (error: Error | null, result?: { current: number; ttl: number }) => void;

export class ClockedWindowStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, Window>();
  private readonly clock: Clock;
  private readonly maxKeys: number;

  constructor(clock: Clock, maxKeys: number) {
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  incr(key: string, reply: Reply, timeWindow: number): void {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || w.startedAt + timeWindow <= now) {
      // Re-inserted, so that the Map's insertion order stays oldest-window-first.
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      w = { count: 0, startedAt: now };
      this.windows.set(key, w);
    }
    w.count++;
    reply(null, { current: w.count, ttl: w.startedAt + timeWindow - now });
  }

  read(key: string, reply: Reply, timeWindow: number): void {
    const now = this.clock.now();
    const w = this.windows.get(key);
    if (!w || w.startedAt + timeWindow <= now) reply(null, { current: 0, ttl: 0 });
    else reply(null, { current: w.count, ttl: w.startedAt + timeWindow - now });
  }

  /** Each limiter made with createRateLimit gets its own counters. */
  child(): FastifyRateLimitStore {
    return new ClockedWindowStore(this.clock, this.maxKeys);
  }
}

/** The constructor the plugin wants (it calls `new Store(options)`), bound to a clock. */
export function clockedWindowStore(clock: Clock, maxKeys = 100_000): FastifyRateLimitStoreCtor {
  return class extends ClockedWindowStore {
    constructor() {
      super(clock, maxKeys);
    }
  };
}
