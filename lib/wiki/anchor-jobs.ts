import "server-only";
import { runJob } from "@/lib/workers/pool";
import type { Quote, Resolution } from "./anchor";

/** The CPU worker's job (scripts/cpu-worker.ts): carry passages from one rendered text to the next (lib/wiki/anchor.ts: carryAnchors). */
export type AnchorsTask = { op: "anchors"; before: string; after: string; items: { quote: Quote; from: Resolution }[] };
export type AnchorsResult = { ok: true; op: "anchors"; resolutions: Resolution[] } | { ok: false; kind: "invalid" | "failed"; message: string };

/** A comparison and a few hundred mappings take milliseconds; the rest is for a busy machine. */
const ANCHORS_DEADLINE_MS = 5_000;

/**
 * Carry passages through an edit off the event loop, in the primary lane (the
 * view that asks is a first view after an edit, beside that revision's render).
 * Null when the pool could not do it now: the passages stay unresolved for this
 * view (nothing is stored, the next view tries again).
 */
export async function carryInWorker(before: string, after: string, items: AnchorsTask["items"]): Promise<Resolution[] | null> {
  if (items.length === 0) return [];
  try {
    const result = await runJob<AnchorsResult>("primary", { op: "anchors", before, after, items } satisfies AnchorsTask, ANCHORS_DEADLINE_MS, 1);
    return result.ok && "op" in result && result.op === "anchors" ? result.resolutions : null;
  } catch {
    // The lane's queue is full (503 for a page's own work); a view without its passages' marks is better than none.
    return null;
  }
}
