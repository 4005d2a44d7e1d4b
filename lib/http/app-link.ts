/**
 * The link between the two processes of a running wiki (framework-free):
 *
 * - the front server (scripts/server.ts) owns the public port, the request
 *   guard, the page cache and /api/health; it answers cache hits itself and
 *   passes everything else to
 * - the application server (scripts/app-server.ts), Next.js on a private
 *   Unix socket, with the CPU worker pool under it.
 *
 * A hit never waits for the application's event loop, so a reader of a cached
 * page, or a health check, is not slowed by whatever the application is busy
 * with (a large diff's render, say). Over the IPC channel between the two:
 *
 * - the application announces purges of the page cache (it decides them, the
 *   front holds the cache), its load (for shedding), and that it is ready;
 * - before the front passes on the answer to a write, it asks the application
 *   to "sync": IPC messages arrive in order, so once the reply is back every
 *   purge of that write has been applied, and the writer's next read cannot
 *   be a stale hit.
 */
import type { PurgeMessage } from "./page-cache-key";

/** What the application server tells the front. */
export type AppMessage =
  | { type: "ready" }
  | { type: "purge"; purge: PurgeMessage }
  | { type: "load"; overloaded: boolean; retryAfterSeconds: number; delayMs: number }
  | { type: "synced"; id: number };

/**
 * What the front tells the application server: "sync" (above), and
 * "forget-media": a file was hidden on another server (the front heard the
 * purge's NOTIFY), so the application drops its own copies of those files
 * (`media:<sha256>` tags) too; `media:*` (ALL_MEDIA_TAG): every file, as
 * purges may have been missed (the front's NOTIFY listener reconnected).
 */
export type FrontMessage = { type: "sync"; id: number } | { type: "forget-media"; tags: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** An IPC message from the application server, or null when it is none (they are only ever ours; this keeps a bug from becoming a crash). */
export function readAppMessage(value: unknown): AppMessage | null {
  if (!isRecord(value) || typeof value.type !== "string") return null;
  switch (value.type) {
    case "ready":
      return { type: "ready" };
    case "purge": {
      const purge = value.purge;
      if (isRecord(purge) && purge.all === true) return { type: "purge", purge: { all: true } };
      if (isRecord(purge) && Array.isArray(purge.tags) && purge.tags.every((t) => typeof t === "string")) return { type: "purge", purge: { tags: purge.tags as string[] } };
      return { type: "purge", purge: { all: true } };
    }
    case "load":
      return { type: "load", overloaded: value.overloaded === true, retryAfterSeconds: Number(value.retryAfterSeconds) || 1, delayMs: Number(value.delayMs) || 0 };
    case "synced":
      return typeof value.id === "number" ? { type: "synced", id: value.id } : null;
    default:
      return null;
  }
}

export function readFrontMessage(value: unknown): FrontMessage | null {
  if (!isRecord(value)) return null;
  if (value.type === "sync") return typeof value.id === "number" ? { type: "sync", id: value.id } : null;
  if (value.type === "forget-media") return Array.isArray(value.tags) && value.tags.every((t) => typeof t === "string") ? { type: "forget-media", tags: value.tags as string[] } : null;
  return null;
}

/** How often the application reports its load (ms). */
export const LOAD_INTERVAL_MS = 250;

/**
 * The front's view of the application's load. The application measures its
 * own event loop (lib/http/load-shedder.ts) and reports every 250 ms; a report
 * that does not come is itself the sign of a blocked loop, which a process
 * cannot see from inside while it is blocked.
 */
export class AppLoad {
  #overloadedUntil = 0;
  #lastReportAt: number;
  #retryAfterSeconds = 1;

  constructor(
    private readonly now: () => number = Date.now,
    /** No report for this long (ms) means the application's loop is stalled. */
    private readonly stallMs = 1_000,
  ) {
    this.#lastReportAt = now();
  }

  report(message: Extract<AppMessage, { type: "load" }>): void {
    const now = this.now();
    this.#lastReportAt = now;
    this.#retryAfterSeconds = Math.max(1, Math.ceil(message.retryAfterSeconds));
    this.#overloadedUntil = message.overloaded ? now + this.#retryAfterSeconds * 1000 : 0;
  }

  /** Whether expensive requests should be refused now. */
  overloaded(): boolean {
    const now = this.now();
    return now < this.#overloadedUntil || now - this.#lastReportAt >= this.stallMs;
  }

  retryAfterSeconds(): number {
    return this.#retryAfterSeconds;
  }
}

/** How often the front asks the application for its health (ms). */
export const HEALTH_INTERVAL_MS = 1_000;
/** A health answer older than this (ms) no longer counts: the application is not answering. */
export const HEALTH_STALE_MS = 3_000;

export type HealthAnswer = { status: number; body: string };

/**
 * /api/health, answered by the front from the application's own answer of at
 * most a second or two ago (the application checks the database and its
 * migrations): a load balancer's probe gets its answer at once, however busy
 * the application is, and a 503 when the application has not answered for
 * HEALTH_STALE_MS.
 */
export class HealthSnapshot {
  #last: (HealthAnswer & { at: number }) | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  record(answer: HealthAnswer): void {
    this.#last = { ...answer, at: this.now() };
  }

  answer(): HealthAnswer {
    const last = this.#last;
    if (last && this.now() - last.at < HEALTH_STALE_MS) return { status: last.status, body: last.body };
    const seconds = last ? Math.round((this.now() - last.at) / 1000) : null;
    return {
      status: 503,
      body: JSON.stringify({
        status: "error",
        message: seconds === null ? "The application server has not answered yet." : `The application server has not answered for ${seconds} s.`,
      }),
    };
  }
}
