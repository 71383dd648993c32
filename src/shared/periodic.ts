// A job that runs every `intervalMs` until stopped, never twice at once, and whose failures
// are logged instead of crashing the process. Tests call runOnce() with an injected clock.

export interface JobLogger {
  error(obj: object, msg: string): void;
}

export class PeriodicJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly name: string;
  private readonly intervalMs: number;
  private readonly work: () => Promise<unknown>;
  private readonly logger: JobLogger;

  constructor(name: string, intervalMs: number, work: () => Promise<unknown>, logger: JobLogger) {
    this.name = name;
    this.intervalMs = intervalMs;
    this.work = work;
    this.logger = logger;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.work()
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err, job: this.name }, 'background job failed'),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
