import "server-only";
import { runJob } from "@/lib/workers/pool";
import type { Quote, Resolution } from "./anchor";

/** The CPU worker's job (scripts/cpu-worker.ts): carry passages from one rendered text to the next (lib/wiki/anchor.ts: carryAnchors). */
export type AnchorsTask = { op: "anchors"; before: string; after: string; items: { quote: Quote; from: Resolution }[] };
export type AnchorsResult = { ok: true; op: "anchors"; resolutions: Resolution[] } | { ok: false; kind: "invalid" | "failed"; message: string };

/** A comparison and a few hundred mappings take milliseconds, approximate searches at most SEARCH_CELLS_PER_JOB (about a second); the rest is for a busy machine. */
const ANCHORS_DEADLINE_MS = 5_000;

/**
 * Carry passages through an edit off the event loop, in the primary lane (the
 * view that asks is a first view after an edit, beside that revision's render).
 * The job's work is bounded (lib/wiki/anchor.ts: SEARCH_CELLS_PER_JOB), so it
 * ends well within its deadline; should it fail or time out all the same, its
 * passages are unplaced on this revision (stored: no later view runs it again).
 * Null when the pool could not take the job now: the passages stay unresolved
 * for this view (nothing is stored, the next view tries again).
 */
export async function carryInWorker(before: string, after: string, items: AnchorsTask["items"]): Promise<Resolution[] | null> {
  if (items.length === 0) return [];
  try {
    const result = await runJob<AnchorsResult>("primary", { op: "anchors", before, after, items } satisfies AnchorsTask, ANCHORS_DEADLINE_MS, 1);
    if (result.ok && "op" in result && result.op === "anchors") return result.resolutions;
    return items.map((): Resolution => ({ status: "orphaned", confidence: 0, unplaced: true }));
  } catch {
    // The lane's queue is full (503 for a page's own work); a view without its passages' marks is better than none.
    return null;
  }
}
