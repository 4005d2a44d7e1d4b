import "server-only";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import Tinypool from "tinypool";
import { AppError } from "@/lib/errors";
import { HEAP_FLAGS } from "@/lib/node-flags";

/**
 * The pool for CPU-heavy work (MDX validation, bundling and rendering; diffs),
 * in child processes run by tinypool. Four lanes, so that what anyone can ask
 * for in any number never delays saves and first views:
 *
 * - `primary`: saves' validation (first) and first views' renders; as many
 *   processes as the machine has cores but one (at least one), 64 waiting.
 * - `preview`: editors' previews; one process, 4 waiting, at most 2 per person.
 * - `reads`: what readers can ask for without limit: diffs between revisions,
 *   renders of old revisions; one process, 16 waiting.
 * - `media`: uploads' type checks and image re-encoding, figures' resized
 *   copies (sharp); one process, 8 waiting.
 *
 * Every worker process runs below the application server's priority (nice,
 * by its lane's step), which itself runs below the front server's (see
 * scripts/server.ts), so the loops that answer requests keep their CPU on a
 * busy machine. Each lane keeps its own queue, in priority order: a job is handed
 * to tinypool only when a process is free, so its deadline counts the work
 * alone (a job still waiting after QUEUE_WAIT_MS is refused as busy). Past its
 * deadline a job's process is ended (SIGTERM, then SIGKILL) and replaced. A
 * full queue, or a wait too long, is `AppError("unavailable")`: 503 with
 * Retry-After.
 */
export type Lane = "primary" | "preview" | "reads" | "media";

/** `idleExitMs`: a lane unused this long ends its processes (about 90 MiB each) until it is needed again; null: kept. */
export type LaneOptions = { processes: number; maxQueue: number; nice: number; idleExitMs: number | null; serialization?: "advanced" };

export const LANES: Readonly<Record<Lane, LaneOptions>> = {
  primary: { processes: Math.max(1, availableParallelism() - 1), maxQueue: 64, nice: 2, idleExitMs: null },
  preview: { processes: 1, maxQueue: 4, nice: 12, idleExitMs: 120_000 },
  reads: { processes: 1, maxQueue: 16, nice: 8, idleExitMs: 120_000 },
  // Uploads' checks and image re-encoding, figures' resized copies (lib/media/): bytes travel
  // as bytes (structured clone), not as JSON.
  media: { processes: 1, maxQueue: 8, nice: 8, idleExitMs: 120_000, serialization: "advanced" },
};

/** Previews one person may have running or queued at once. */
export const PREVIEWS_PER_PERSON = 2;

/** Seconds a refused request is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** Longest a job waits for a process before it is refused as busy. */
export const QUEUE_WAIT_MS = 10_000;

/** Within a lane, lower goes first: saves before first views, first views before the rest. */
export type Priority = 0 | 1 | 2;

// Built separately by scripts/build-worker.ts; kept out of the Next.js bundle.
export const workerPath = () => path.join(/* turbopackIgnore: true */ process.cwd(), ".build", "cpu-worker.mjs");

export type JobFailure = { ok: false; kind: "failed" | "timeout"; message: string };

/** A job for the worker (scripts/cpu-worker.ts): its `op` names the handler; the result is the handler's. */
export type WorkerTask = { op: string; [field: string]: unknown };

type Waiting = { priority: Priority; start: () => void; refuse: (error: AppError) => void; timer: NodeJS.Timeout };
type LaneState = { pool: Tinypool; running: number; waiting: Waiting[]; lastUsed: number };
type PoolState = { lanes: Map<Lane, LaneState>; previewsByPerson: Map<string, number> };

// One pool per process, kept across Next.js's module instances (dev reloads, route bundles).
const STATE_KEY = Symbol.for("propagate.cpu-pool");
function state(): PoolState {
  const holder = globalThis as { [STATE_KEY]?: PoolState };
  return (holder[STATE_KEY] ??= { lanes: new Map(), previewsByPerson: new Map() });
}

function laneState(lane: Lane): LaneState {
  const { lanes } = state();
  const existing = lanes.get(lane);
  if (existing) return existing;
  const file = workerPath();
  if (!existsSync(file)) throw new Error(`The CPU worker is not built (${file}); run npm run build.`);
  const options = LANES[lane];
  const pool = new Tinypool({
    filename: file,
    runtime: "child_process",
    // Always the full count: when a job is aborted tinypool replaces its process only up to minThreads.
    minThreads: options.processes,
    maxThreads: options.processes,
    // The lane's own queue (below) hands a job over only when a process is free.
    maxQueue: options.processes,
    idleTimeout: 60_000,
    // A plain Node: no loaders, and not the react-server conditions the server runs under
    // (the renderer needs react-dom/server's static markup); a heap that collects before it grows far.
    execArgv: [...HEAP_FLAGS],
    ...(options.serialization ? { serialization: options.serialization } : {}),
    env: { ...stringEnv(), PROPAGATE_WORKER_NICE: String(options.nice) },
  });
  const created: LaneState = { pool, running: 0, waiting: [], lastUsed: Date.now() };
  lanes.set(lane, created);
  if (options.idleExitMs !== null) watchIdleLanes();
  return created;
}

/**
 * End the processes of lanes that have been idle longer than their
 * `idleExitMs` (the next job starts them again, a few hundred ms later).
 * Called every 15 s while such a lane exists; `now` for tests.
 */
export async function retireIdleLanes(now = Date.now()): Promise<Lane[]> {
  const { lanes } = state();
  const retired: [Lane, LaneState][] = [];
  for (const [lane, current] of lanes) {
    const idleExitMs = LANES[lane].idleExitMs;
    if (idleExitMs === null || current.running > 0 || current.waiting.length > 0 || now - current.lastUsed < idleExitMs) continue;
    lanes.delete(lane);
    retired.push([lane, current]);
  }
  await Promise.all(retired.map(([, current]) => current.pool.destroy()));
  return retired.map(([lane]) => lane);
}

const WATCH_KEY = Symbol.for("propagate.cpu-pool.idle-watch");
function watchIdleLanes(): void {
  const holder = globalThis as { [WATCH_KEY]?: NodeJS.Timeout };
  holder[WATCH_KEY] ??= setInterval(() => void retireIdleLanes().catch((error: unknown) => console.error("cpu pool: retiring an idle lane failed", error)), 15_000).unref();
}

function stringEnv(): Record<string, string> {
  // eslint-disable-next-line no-restricted-properties -- the worker process inherits the server's environment as is
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Wait for a free process in the lane (in priority order), or be refused as busy. */
function turn(lane: Lane, current: LaneState, priority: Priority, maxWaitMs: number): Promise<void> {
  if (current.running < LANES[lane].processes && current.waiting.length === 0) {
    current.running++;
    return Promise.resolve();
  }
  if (current.waiting.length >= LANES[lane].maxQueue) return Promise.reject(busy(lane));
  return new Promise<void>((resolve, reject) => {
    const entry: Waiting = {
      priority,
      start: () => {
        clearTimeout(entry.timer);
        current.running++;
        resolve();
      },
      refuse: reject,
      timer: setTimeout(() => {
        const at = current.waiting.indexOf(entry);
        if (at !== -1) current.waiting.splice(at, 1);
        reject(busy(lane));
      }, maxWaitMs),
    };
    entry.timer.unref?.();
    // Stable: after every waiting job of the same or a more urgent priority.
    let at = current.waiting.length;
    while (at > 0 && current.waiting[at - 1]!.priority > priority) at--;
    current.waiting.splice(at, 0, entry);
  });
}

function release(lane: Lane, current: LaneState): void {
  current.running--;
  current.lastUsed = Date.now();
  const next = current.waiting.shift();
  if (next) next.start();
}

/**
 * Run one job in a lane within `deadlineMs` of its start. Never throws for
 * the job's own failure or timeout (they are results); throws `unavailable`
 * when the lane is full or the job waited longer than `maxWaitMs`.
 */
export async function runJob<R>(lane: Lane, task: WorkerTask, deadlineMs: number, priority: Priority = 1, maxWaitMs = QUEUE_WAIT_MS): Promise<R | JobFailure> {
  let current: LaneState;
  try {
    current = laneState(lane);
  } catch (error) {
    return { ok: false, kind: "failed", message: (error as Error).message };
  }
  await turn(lane, current, priority, maxWaitMs);
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    return (await current.pool.run(task, { signal })) as R;
  } catch (error) {
    if (signal.aborted) return { ok: false, kind: "timeout", message: `took longer than ${deadlineMs / 1000} s and was stopped` };
    if (error instanceof Error && /queue is at limit/i.test(error.message)) throw busy(lane);
    return { ok: false, kind: "failed", message: `The worker stopped unexpectedly (${error instanceof Error ? error.message : String(error)}).` };
  } finally {
    release(lane, current);
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

/** End every worker process (tests, shutdown); jobs still waiting are refused. */
export async function closePool(): Promise<void> {
  const { lanes } = state();
  const all = [...lanes.entries()];
  lanes.clear();
  for (const [lane, current] of all) {
    for (const waiting of current.waiting.splice(0)) {
      clearTimeout(waiting.timer);
      waiting.refuse(busy(lane));
    }
  }
  await Promise.all(all.map(([, current]) => current.pool.destroy()));
}

/** The process ids of the lane's workers (tests check that ended jobs leave no process behind). */
export function workerPids(lane: Lane): number[] {
  const pool = state().lanes.get(lane)?.pool as unknown as { threads?: { threadId: number }[] } | undefined;
  return (pool?.threads ?? []).map((t) => t.threadId);
}
