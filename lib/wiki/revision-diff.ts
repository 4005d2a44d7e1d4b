import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { diffRevisions, type RevisionDiff } from "./diff";
import { getRevisionWithAuthor } from "./revision-store";

// Diffs between two revisions never change: keep the most recent ones in memory.
const CACHE_SIZE = 200;
const cache = new Map<string, RevisionDiff>();

/** The diff between two revisions, computed once per pair (bounded cost, see diff.ts). */
export function cachedDiff(fromId: number, toId: number, oldText: string, newText: string): RevisionDiff {
  const key = `${fromId}:${toId}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const diff = diffRevisions(oldText, newText);
  cache.set(key, diff);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return diff;
}

/** Two revisions of a page and their diff; unknown or foreign ids are a 404 with the reason. */
export async function compareRevisions(db: Database, pageId: number, fromId: number, toId: number) {
  const [from, to] = await Promise.all([getRevisionWithAuthor(db, pageId, fromId), getRevisionWithAuthor(db, pageId, toId)]);
  if (!from) throw new AppError("not_found:revision", `Revision ${fromId} is not a revision of this page.`);
  if (!to) throw new AppError("not_found:revision", `Revision ${toId} is not a revision of this page.`);
  return { from, to, diff: cachedDiff(fromId, toId, from.revision.content, to.revision.content) };
}

/** One line describing a diff for feeds and lists: fields changed and line counts. */
export function describeDiff(diff: RevisionDiff, delta: number): string {
  const parts: string[] = [];
  if (diff.fields.length > 0) parts.push(`${diff.fields.map((f) => f.label).join(", ")} changed`);
  const { added, removed, changed, moved } = diff.stats;
  const lines = [added && `${added} added`, removed && `${removed} removed`, changed && `${changed} changed`, moved && `${moved} moved`].filter(Boolean);
  if (lines.length > 0) parts.push(`lines: ${lines.join(", ")}`);
  parts.push(`${delta >= 0 ? "+" : ""}${delta} bytes`);
  if (diff.coarse) parts.push("(summary only: a very large change)");
  return parts.join("; ");
}
