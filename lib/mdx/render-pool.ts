import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { TocEntry } from "./render";
import type { MdxIssue } from "./validate";
import type { WorkerRequest, WorkerResponse } from "./render-worker";

// Built separately by scripts/build-worker.ts; kept out of the Next.js bundle.
const WORKER_FILE = [".build", "render-worker.mjs"];
export const workerPath = () => path.join(/* turbopackIgnore: true */ process.cwd(), ...WORKER_FILE);

/** Time budgets per job; an overrunning worker is terminated and replaced. */
export const BUDGET_MS = { validate: 5_000, render: 15_000 } as const;

export type RenderOutcome =
  | { ok: true; html: string; toc: TocEntry[] }
  | { ok: false; kind: "invalid" | "failed" | "timeout"; message: string };
/** `links`: the body's outgoing wiki links (slugs), when it has no issues. */
export type ValidateOutcome = { ok: true; issues: MdxIssue[]; links: string[] } | { ok: false; kind: "failed" | "timeout"; message: string };

type Job = { request: WorkerRequest; resolve: (r: WorkerResponse | { ok: false; kind: "failed" | "timeout"; message: string }) => void };

let worker: Worker | undefined;
let nextId = 1;
const queue: Job[] = [];
let current: { job: Job; timer: NodeJS.Timeout; worker: Worker } | undefined;
/** How many times the bundler ran (tests assert a cached page view adds none). */
let renders = 0;

export function renderCount(): number {
  return renders;
}

/**
 * Validate, bundle and render an MDX body to HTML in the worker, one job at a
 * time, within the render budget. Never throws: failures are outcomes.
 */
export async function renderInWorker(body: string): Promise<RenderOutcome> {
  const response = await enqueue({ id: nextId++, op: "render", body });
  if (!response.ok) return response;
  if (response.op !== "render") return { ok: false, kind: "failed", message: "unexpected worker response" };
  return { ok: true, html: response.html, toc: response.toc };
}

/**
 * Check an MDX body against the allowlist in the worker, within the
 * validation budget (some inputs make the Markdown parser slow).
 */
export async function validateInWorker(body: string, lineOffset = 0): Promise<ValidateOutcome> {
  const response = await enqueue({ id: nextId++, op: "validate", body, lineOffset });
  if (!response.ok) return { ok: false, kind: response.kind === "invalid" ? "failed" : response.kind, message: response.message };
  if (response.op !== "validate") return { ok: false, kind: "failed", message: "unexpected worker response" };
  return { ok: true, issues: response.issues, links: response.links };
}

function enqueue(request: WorkerRequest): Promise<WorkerResponse | { ok: false; kind: "failed" | "timeout"; message: string }> {
  return new Promise((resolve) => {
    queue.push({ request, resolve });
    pump();
  });
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const file = workerPath();
  if (!existsSync(file)) throw new Error(`The render worker is not built (${file}); run npm run build.`);
  // A plain Node worker: no loaders, and not the react-server export conditions
  // that scripts run under (the renderer needs react-dom/server's static markup).
  const w = new Worker(/* turbopackIgnore: true */ file, { execArgv: [] });
  w.unref();
  // Events of a worker that was already replaced (after a timeout) concern no current job.
  const mine = () => current !== undefined && current.worker === w;
  w.on("message", (response: WorkerResponse) => {
    if (!mine() || current!.job.request.id !== response.id) return;
    finish(response);
  });
  w.on("error", (error) => {
    if (mine()) finish({ ok: false, kind: "failed", message: `The renderer crashed: ${error.message}` });
  });
  w.on("exit", () => {
    if (worker === w) worker = undefined;
    if (mine()) finish({ ok: false, kind: "failed", message: "The renderer stopped unexpectedly." });
  });
  worker = w;
  return w;
}

function finish(response: WorkerResponse | { ok: false; kind: "failed" | "timeout"; message: string }) {
  if (!current) return;
  clearTimeout(current.timer);
  const { job } = current;
  current = undefined;
  job.resolve(response);
  pump();
}

function pump() {
  if (current) return;
  const job = queue.shift();
  if (!job) return;
  let w: Worker;
  try {
    w = ensureWorker();
  } catch (error) {
    job.resolve({ ok: false, kind: "failed", message: (error as Error).message });
    pump();
    return;
  }
  const budget = BUDGET_MS[job.request.op];
  if (job.request.op === "render") renders++;
  const timer = setTimeout(() => {
    const stuck = worker;
    worker = undefined;
    finish({
      ok: false,
      kind: "timeout",
      message:
        job.request.op === "validate"
          ? `Checking this page took longer than ${budget / 1000} s; simplify its structure (very deep or tangled markup).`
          : `Rendering took longer than ${budget / 1000} s and was stopped.`,
    });
    void stuck?.terminate();
  }, budget);
  current = { job, timer, worker: w };
  w.postMessage(job.request);
}
