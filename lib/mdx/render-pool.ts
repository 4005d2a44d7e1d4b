import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { RenderRequest, RenderResponse } from "./render-worker";

export const workerPath = () => path.join(process.cwd(), ".build", "render-worker.mjs");

/** How long one render may take before its worker is terminated. */
const RENDER_BUDGET_MS = 15_000;

export type RenderOutcome =
  | { ok: true; html: string; toc: { depth: number; id: string; text: string }[] }
  | { ok: false; kind: "invalid" | "failed" | "timeout"; message: string };

type Job = { id: number; body: string; resolve: (r: RenderOutcome) => void };

let worker: Worker | undefined;
let nextId = 1;
const queue: Job[] = [];
let current: { job: Job; timer: NodeJS.Timeout } | undefined;
/** How many times the pool ran the bundler (tests assert a cached view adds none). */
let renders = 0;

export function renderCount(): number {
  return renders;
}

/**
 * Render an MDX body in the render worker, one page at a time, with a hard
 * time budget. Never throws: failures come back as outcomes.
 */
export function renderInWorker(body: string): Promise<RenderOutcome> {
  return new Promise((resolve) => {
    queue.push({ id: nextId++, body, resolve });
    pump();
  });
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const file = workerPath();
  if (!existsSync(file)) throw new Error(`The render worker is not built (${file}); run npm run build.`);
  const w = new Worker(file);
  w.unref();
  w.on("message", (response: RenderResponse) => {
    if (!current || current.job.id !== response.id) return;
    clearTimeout(current.timer);
    const { job } = current;
    current = undefined;
    job.resolve(response.ok ? { ok: true, html: response.html, toc: response.toc } : { ok: false, kind: response.kind, message: response.message });
    pump();
  });
  w.on("error", (error) => fail(`The renderer crashed: ${error.message}`, "failed"));
  w.on("exit", () => {
    if (worker === w) worker = undefined;
    if (current) fail("The renderer stopped unexpectedly.", "failed");
  });
  worker = w;
  return w;
}

function fail(message: string, kind: "failed" | "timeout") {
  if (!current) return;
  clearTimeout(current.timer);
  const { job } = current;
  current = undefined;
  job.resolve({ ok: false, kind, message });
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
  renders++;
  const timer = setTimeout(() => {
    const stuck = worker;
    worker = undefined;
    fail(`Rendering took longer than ${RENDER_BUDGET_MS / 1000} s and was stopped.`, "timeout");
    void stuck?.terminate();
  }, RENDER_BUDGET_MS);
  current = { job, timer };
  const request: RenderRequest = { id: job.id, body: job.body };
  w.postMessage(request);
}
