import { monitorEventLoopDelay } from "node:perf_hooks";

export type LoadShedderOptions = {
  /** Event-loop delay (p99 over a window, in ms) above which a window counts as lagging. */
  thresholdMs?: number;
  /** Lagging windows in a row before the server is overloaded (one slow moment is not an overload). */
  windows?: number;
  /** How often `tick` is called, in ms; a tick this much late or more is a stall, overloaded at once. */
  intervalMs?: number;
  /** A tick this much later than its interval (ms) means the loop was blocked: overloaded at once. */
  stallMs?: number;
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
  private readonly windows: number;
  private overloadedUntil = 0;
  private lastDelayMs = 0;
  private lagging = 0;
  private readonly intervalMs: number;
  private readonly stallMs: number;
  private lastTick: number | null = null;

  constructor(options: LoadShedderOptions = {}) {
    this.thresholdMs = options.thresholdMs ?? 400;
    this.holdMs = options.holdMs ?? 2_000;
    this.windows = options.windows ?? 3;
    this.intervalMs = options.intervalMs ?? 250;
    this.stallMs = options.stallMs ?? 1_000;
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
    const now = this.now();
    // A blocked loop fires one late tick per stall, however long: the lateness itself says so.
    const late = this.lastTick === null ? 0 : now - this.lastTick - this.intervalMs;
    this.lastTick = now;
    this.lastDelayMs = Math.max(this.sample(), late);
    this.lagging = this.lastDelayMs > this.thresholdMs ? this.lagging + 1 : 0;
    if (this.lagging >= this.windows || late >= this.stallMs) this.overloadedUntil = now + this.holdMs;
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
 * The requests shed under load: those whose cost grows with their input or
 * with the wiki (diffs, blame, history, search, listings, feeds, the JSON
 * API's reads). Page views, sign-in, editing and saves are not shed, nor the
 * health check and static assets; cached page views are answered before this
 * question is asked.
 */
const EXPENSIVE = [/^\/wiki\/[^/]+\/(diff|blame|history)\/?$/, /^\/(search|recent-changes|pages|tags)(\/|$)/, /^\/feeds\//, /^\/api\/pages(\/|$)/];

export function shedUnderLoad(method: string | undefined, url: string | undefined): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const path = (url ?? "/").split("?")[0]!;
  return EXPENSIVE.some((pattern) => pattern.test(path));
}
