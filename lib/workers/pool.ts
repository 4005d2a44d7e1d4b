import "server-only";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import Tinypool from "tinypool";
import { AppError } from "@/lib/errors";

/**
 * The pool for CPU-heavy work (MDX validation, bundling and rendering; diffs), in
 * child processes run by tinypool. Three lanes, so that previews and diffs
 * can never delay saves and first views:
 *
 * - `primary`: saves' validation and first views' renders; as many processes
 *   as the machine has cores but one (at least one), a queue of 64 jobs.
 * - `preview`: editors' previews; one process running at a lower priority
 *   (nice 10), a queue of 4 jobs, and at most 2 previews per person at once.
 * - `diff`: diffs between revisions (what anonymous readers can ask for in
 *   any number); one process at nice 5, a queue of 16.
 *
 * Every job has a deadline: when it passes, the job's process is ended
 * (SIGTERM, then SIGKILL) and replaced, and the job fails with a timeout.
 * A full queue is refused at once: `AppError("unavailable")`, which the edge
 * answers 503 with Retry-After.
 */
export type Lane = "primary" | "preview" | "diff";

export type LaneOptions = { processes: number; maxQueue: number; nice: number };

export const LANES: Readonly<Record<Lane, LaneOptions>> = {
  primary: { processes: Math.max(1, availableParallelism() - 1), maxQueue: 64, nice: 0 },
  preview: { processes: 1, maxQueue: 4, nice: 10 },
  diff: { processes: 1, maxQueue: 16, nice: 5 },
};

/** Previews one person may have running or queued at once. */
export const PREVIEWS_PER_PERSON = 2;

/** Seconds a refused request is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

// Built separately by scripts/build-worker.ts; kept out of the Next.js bundle.
export const workerPath = () => path.join(/* turbopackIgnore: true */ process.cwd(), ".build", "cpu-worker.mjs");

export type JobFailure = { ok: false; kind: "failed" | "timeout"; message: string };

/** A job for the worker (scripts/cpu-worker.ts): its `op` names the handler; the result is the handler's. */
export type WorkerTask = { op: string; [field: string]: unknown };

type PoolState = { lanes: Map<Lane, Tinypool>; previewsByPerson: Map<string, number> };

// One pool per process, kept across Next.js's module instances (dev reloads, route bundles).
const STATE_KEY = Symbol.for("propagate.cpu-pool");
function state(): PoolState {
  const holder = globalThis as { [STATE_KEY]?: PoolState };
  return (holder[STATE_KEY] ??= { lanes: new Map(), previewsByPerson: new Map() });
}

function lanePool(lane: Lane): Tinypool {
  const { lanes } = state();
  const existing = lanes.get(lane);
  if (existing) return existing;
  const file = workerPath();
  if (!existsSync(file)) throw new Error(`The CPU worker is not built (${file}); run npm run build.`);
  const options = LANES[lane];
  const pool = new Tinypool({
    filename: file,
    runtime: "child_process",
    // Always the full count: when a job is aborted tinypool replaces its process only up to
    // minThreads, and jobs queued behind it would otherwise wait for the next request.
    minThreads: options.processes,
    maxThreads: options.processes,
    maxQueue: options.maxQueue,
    idleTimeout: 60_000,
    // A plain Node: no loaders, and not the react-server conditions the server runs under
    // (the renderer needs react-dom/server's static markup).
    execArgv: [],
    env: { ...stringEnv(), PROPAGATE_WORKER_NICE: String(options.nice) },
  });
  lanes.set(lane, pool);
  return pool;
}

function stringEnv(): Record<string, string> {
  // eslint-disable-next-line no-restricted-properties -- the worker process inherits the server's environment as is
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Run one job in a lane within `deadlineMs`. Never throws for the job's own
 * failure or timeout (they are results); throws `unavailable` when the lane's
 * queue is full.
 */
export async function runJob<R>(lane: Lane, task: WorkerTask, deadlineMs: number): Promise<R | JobFailure> {
  let pool: Tinypool;
  try {
    pool = lanePool(lane);
  } catch (error) {
    return { ok: false, kind: "failed", message: (error as Error).message };
  }
  if (pool.queueSize >= LANES[lane].maxQueue) throw busy(lane);
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    return (await pool.run(task, { signal })) as R;
  } catch (error) {
    if (signal.aborted) return { ok: false, kind: "timeout", message: `took longer than ${deadlineMs / 1000} s and was stopped` };
    if (error instanceof Error && /queue is at limit/i.test(error.message)) throw busy(lane);
    return { ok: false, kind: "failed", message: `The renderer stopped unexpectedly (${error instanceof Error ? error.message : String(error)}).` };
  }
}

/**
 * A preview for one person (`who`: a user id): at most PREVIEWS_PER_PERSON at
 * once, then a 429 that says so.
 */
export async function runPreviewJob<R>(who: string, task: WorkerTask, deadlineMs: number): Promise<R | JobFailure> {
  const { previewsByPerson } = state();
  const running = previewsByPerson.get(who) ?? 0;
  if (running >= PREVIEWS_PER_PERSON) {
    throw new AppError("rate_limited", "Your earlier previews are still being made; wait for them before asking for another.", { retryAfterSeconds: 2 });
  }
  previewsByPerson.set(who, running + 1);
  try {
    return await runJob<R>("preview", task, deadlineMs);
  } finally {
    const left = (previewsByPerson.get(who) ?? 1) - 1;
    if (left <= 0) previewsByPerson.delete(who);
    else previewsByPerson.set(who, left);
  }
}

function busy(lane: Lane): AppError {
  return new AppError(
    "unavailable",
    lane === "preview" ? "Too many previews are being made right now; try again in a few seconds." : "The wiki is very busy right now; try again in a few seconds.",
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}

/** End every worker process (tests, shutdown). */
export async function closePool(): Promise<void> {
  const { lanes } = state();
  const pools = [...lanes.values()];
  lanes.clear();
  await Promise.all(pools.map((p) => p.destroy()));
}

/** The process ids of the lane's workers (tests check that ended jobs leave no process behind). */
export function workerPids(lane: Lane): number[] {
  const pool = state().lanes.get(lane) as unknown as { threads?: { threadId: number }[] } | undefined;
  return (pool?.threads ?? []).map((t) => t.threadId);
}
