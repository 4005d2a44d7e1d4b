import { monitorEventLoopDelay } from "node:perf_hooks";

export type LoadShedderOptions = {
  /** Event-loop delay (p99 over a window, in ms) above which the server is overloaded. */
  thresholdMs?: number;
  /** How long an overload lasts at least once seen, in ms (no flapping). */
  holdMs?: number;
  /** The delay measured since the last call, in ms (default: perf_hooks' histogram, reset at each read). */
  sample?: () => number;
  now?: () => number;
};

/**
 * Load shedding: watch the event loop's delay (a blocked loop answers
 * nobody, /api/health included) and, while it is high, let the server refuse
 * expensive requests at once with 503 and Retry-After, so that cached page
 * views and the health check keep answering.
 */
export class LoadShedder {
  readonly thresholdMs: number;
  private readonly holdMs: number;
  private readonly sample: () => number;
  private readonly now: () => number;
  private overloadedUntil = 0;
  private lastDelayMs = 0;

  constructor(options: LoadShedderOptions = {}) {
    this.thresholdMs = options.thresholdMs ?? 200;
    this.holdMs = options.holdMs ?? 2_000;
    this.now = options.now ?? Date.now;
    if (options.sample) {
      this.sample = options.sample;
    } else {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      this.sample = () => {
        const p99 = histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0;
        histogram.reset();
        return p99;
      };
    }
  }

  /** Take a measurement (the server does every 250 ms). */
  tick(): void {
    this.lastDelayMs = this.sample();
    if (this.lastDelayMs > this.thresholdMs) this.overloadedUntil = this.now() + this.holdMs;
  }

  /** Whether expensive requests should be refused now. */
  overloaded(): boolean {
    return this.now() < this.overloadedUntil;
  }

  /** The last measured delay, in ms (reported by /api/health's server header, and in logs). */
  delayMs(): number {
    return this.lastDelayMs;
  }

  /** Seconds to tell a refused client to wait. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.overloadedUntil - this.now()) / 1000));
  }
}

/**
 * Requests that are always served, overload or not: the health check, static
 * assets (immutable, cheap) and the icon. Cached page views are answered
 * before this question is asked.
 */
export function servedUnderLoad(method: string | undefined, url: string | undefined): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const path = (url ?? "/").split("?")[0]!;
  return path === "/api/health" || path.startsWith("/_next/static/") || path === "/favicon.ico";
}
