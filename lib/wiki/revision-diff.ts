import "server-only";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { RevisionDiff } from "./diff";
import { runJob, RETRY_AFTER_SECONDS } from "@/lib/workers/pool";
import type { ComputedDiff, ComputeOptions } from "./diff-compute";
import type { DiffCharge } from "./diff-cost";
import { diffPage, type DiffPageView } from "./diff-page";
import { getRevisionWithAuthor } from "./revision-store";

/**
 * The diff of two texts. The one place the diff page and the API compute a
 * diff: `computeDiff` (pure, plain JSON out) runs in the CPU pool's diff lane,
 * within its own time budget.
 */
export async function diffBetween(oldText: string, newText: string, options: ComputeOptions = {}, maxWaitMs?: number): Promise<ComputedDiff> {
  // Off the event loop, in the pool's reads lane (a full lane, or a wait past maxWaitMs, is a 503 with Retry-After).
  const result = await runJob<DiffResult>("reads", { op: "diff", oldText, newText, options } satisfies DiffTask, DIFF_DEADLINE_MS, 1, maxWaitMs);
  if (result.ok && result.op === "diff") return result.diff;
  // The diff keeps its own 1 s budget, so this is a crash or a machine too busy to run it: say so, cache nothing.
  throw new AppError("unavailable", "This comparison could not be made just now; try again in a few seconds.", { retryAfterSeconds: RETRY_AFTER_SECONDS });
}

/** The diff job of the CPU worker (scripts/cpu-worker.ts). */
export type DiffTask = { op: "diff"; oldText: string; newText: string; options: ComputeOptions };
export type DiffResult = { ok: true; op: "diff"; diff: ComputedDiff } | { ok: false; kind: "invalid" | "failed"; message: string };

/** The pool's deadline for one diff: its own budget is 1 s; the rest is for a busy machine. */
const DIFF_DEADLINE_MS = 10_000;

// Diffs between two texts never change. Keyed by the pair of texts (their
// sha256, stored with each revision) only: every page of hunks, both views and
// the API share one computation, and ids reused by a new database cannot hit a
// stale entry. Bounded by size.
const CACHE_MAX_CHARS = 32_000_000;
const cache = new LRUCache<string, ComputedDiff>({ maxSize: CACHE_MAX_CHARS, sizeCalculation: (diff) => Math.max(1, diffSize(diff)) });
const pending = new Map<string, Promise<ComputedDiff>>();

/** Approximate size of a computed diff, in characters of row text. */
function diffSize(diff: ComputedDiff): number {
  let size = 100;
  for (const hunk of diff.hunks) {
    for (const row of hunk.rows) size += 40 + (row.kind === "changed" ? 2 * (row.oldText.length + row.newText.length) : row.text.length);
  }
  return size;
}

/**
 * The diff between two revisions, computed once per pair. A miss is charged
 * to `charge` first (which may refuse with `rate_limited`); concurrent
 * requests for one pair share one computation.
 */
export async function cachedDiff(
  from: { id: number; content: string; sha256: string },
  to: { id: number; content: string; sha256: string; parentId: number | null },
  charge?: DiffCharge,
): Promise<ComputedDiff> {
  const key = `${from.sha256}:${to.sha256}`;
  const hit = cache.get(key) ?? (await pending.get(key));
  if (hit) return hit;
  await charge?.({ chars: from.content.length + to.content.length, adjacent: to.parentId === from.id });
  const again = pending.get(key);
  if (again) return again;
  const computing = diffBetween(from.content, to.content);
  pending.set(key, computing);
  try {
    const diff = await computing;
    cache.set(key, diff);
    return diff;
  } finally {
    pending.delete(key);
  }
}

/**
 * Two revisions of a page and one page of their diff (`page`, 1-based, clamped);
 * unknown or foreign ids are a 404 with the reason.
 */
export async function compareRevisions(
  db: Database,
  pageId: number,
  fromId: number,
  toId: number,
  options: { page?: number | null; charge?: DiffCharge } = {},
): Promise<{ from: NonNullable<Awaited<ReturnType<typeof getRevisionWithAuthor>>>; to: NonNullable<Awaited<ReturnType<typeof getRevisionWithAuthor>>>; diff: DiffPageView }> {
  const [from, to] = await Promise.all([getRevisionWithAuthor(db, pageId, fromId), getRevisionWithAuthor(db, pageId, toId)]);
  if (!from) throw new AppError("not_found:revision", `Revision ${fromId} is not a revision of this page.`);
  if (!to) throw new AppError("not_found:revision", `Revision ${toId} is not a revision of this page.`);
  const computed = await cachedDiff(from.revision, to.revision, options.charge);
  return { from, to, diff: diffPage(computed, options.page) };
}

/** One line describing a diff for feeds and lists: fields changed and line counts. */
export function describeDiff(diff: Pick<RevisionDiff, "fields" | "stats" | "coarse">, delta: number): string {
  const parts: string[] = [];
  if (diff.fields.length > 0) parts.push(`${diff.fields.map((f) => f.label).join(", ")} changed`);
  const { added, removed, changed, moved, rewrapped } = diff.stats;
  const lines = [added && `${added} added`, removed && `${removed} removed`, changed && `${changed} changed`, moved && `${moved} moved`].filter(Boolean);
  if (lines.length > 0) parts.push(`lines: ${lines.join(", ")}`);
  if (rewrapped > 0) parts.push(`${rewrapped} ${rewrapped === 1 ? "paragraph" : "paragraphs"} re-wrapped`);
  parts.push(`${delta >= 0 ? "+" : ""}${delta} bytes`);
  if (diff.coarse) parts.push("(summary only: a very large change)");
  return parts.join("; ");
}
