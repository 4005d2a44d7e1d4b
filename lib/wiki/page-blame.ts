import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Database } from "@/lib/db/client";
import { revisions, users, type Page } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { RETRY_AFTER_SECONDS, runJob } from "@/lib/workers/pool";
import type { BlameLine } from "./blame";

/** The blame job of the CPU worker (scripts/cpu-worker.ts): the walked revisions' ids and texts, oldest first. */
export type BlameTask = { op: "blame"; revisions: { id: number; content: string }[]; maxRevisions: number };
export type BlameResult = { ok: true; op: "blame"; lines: BlameLine[] } | { ok: false; kind: "invalid" | "failed"; message: string };

/** The pool's deadline for one blame (8 MB of history at most). */
const BLAME_DEADLINE_MS = 15_000;

/** At most this many of the newest revisions are walked… */
export const MAX_BLAME_REVISIONS = 500;
/** …and at most this many bytes of their text loaded (a 200 KB page: its newest 40 revisions). */
export const MAX_BLAME_BYTES = 8_000_000;

export type PageBlame = {
  lines: BlameLine[];
  /** The revisions lines are credited to, by id. */
  revisions: Map<number, { id: number; authorName: string; createdAt: Date }>;
  /** How many revisions were walked, and whether older ones were left out (their lines are credited to the oldest walked). */
  considered: number;
  olderLeftOut: boolean;
};

// Blame of a page at its latest revision never changes: one computation per
// (page, latest revision), shared by every reader, bounded by size.
const cache = new LRUCache<string, PageBlame>({ maxSize: 64_000_000, sizeCalculation: (b) => Math.max(1, b.lines.reduce((n, l) => n + l.text.length + 16, 0)) });
const pending = new Map<string, Promise<PageBlame>>();

/**
 * Who wrote each line of a page's latest revision. Loads the newest
 * revisions' sizes first, then the text of as many as fit in
 * MAX_BLAME_REVISIONS and MAX_BLAME_BYTES (always the latest one), and says
 * when older history was left out. Cached by (page, latest revision);
 * concurrent requests share one computation.
 */
export async function pageBlame(db: Database, page: Pick<Page, "id" | "latestRevisionId">): Promise<PageBlame> {
  const key = `${page.id}:${page.latestRevisionId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const running = pending.get(key);
  if (running) return running;
  const computing = computeBlame(db, page.id);
  pending.set(key, computing);
  try {
    const result = await computing;
    cache.set(key, result);
    return result;
  } finally {
    pending.delete(key);
  }
}

async function computeBlame(db: Database, pageId: number): Promise<PageBlame> {
  // Sizes only, newest first, one more than may be walked: it tells whether anything older exists.
  const sizes = await db
    .select({ id: revisions.id, length: revisions.length })
    .from(revisions)
    .where(eq(revisions.pageId, pageId))
    .orderBy(desc(revisions.id))
    .limit(MAX_BLAME_REVISIONS + 1);
  const chosen: number[] = [];
  let bytes = 0;
  for (const row of sizes.slice(0, MAX_BLAME_REVISIONS)) {
    if (chosen.length > 0 && bytes + row.length > MAX_BLAME_BYTES) break;
    bytes += row.length;
    chosen.push(row.id);
  }
  const rows =
    chosen.length === 0
      ? []
      : await db
          .select({ id: revisions.id, content: revisions.content, createdAt: revisions.createdAt, summary: revisions.summary, authorName: users.name })
          .from(revisions)
          .innerJoin(users, eq(users.id, revisions.authorId))
          .where(and(eq(revisions.pageId, pageId), inArray(revisions.id, chosen)))
          .orderBy(revisions.id);
  // Off the event loop, in the pool's reads lane (a full lane is a 503 with Retry-After).
  const result = await runJob<BlameResult>(
    "reads",
    { op: "blame", revisions: rows.map((r) => ({ id: r.id, content: r.content })), maxRevisions: MAX_BLAME_REVISIONS } satisfies BlameTask,
    BLAME_DEADLINE_MS,
  );
  if (!result.ok || result.op !== "blame") {
    throw new AppError("unavailable", "Who wrote what could not be worked out just now; try again in a few seconds.", { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
  const { lines } = result;
  return {
    lines,
    revisions: new Map(rows.map((r) => [r.id, { id: r.id, authorName: r.authorName, createdAt: r.createdAt }])),
    considered: rows.length,
    olderLeftOut: sizes.length > chosen.length,
  };
}
