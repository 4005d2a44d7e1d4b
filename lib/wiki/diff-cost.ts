import "server-only";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { consume, limits, type LimitName } from "@/lib/rate-limit";

/**
 * What computing a diff costs, in characters diffed: both texts. A diff
 * between a revision and its parent (what history links to) costs a quarter;
 * a cache hit costs nothing (the caller only charges a miss).
 */
export function diffCost(oldLength: number, newLength: number, adjacent: boolean): number {
  const chars = oldLength + newLength;
  return Math.max(1, Math.ceil(adjacent ? chars / 4 : chars));
}

/** Diffs below this many characters (both texts) are cheap: the shared budget never refuses them. */
export const SHARED_FREE_CHARS = 64_000;

/** Charges a diff's cost before it is computed; throws `rate_limited` (429, Retry-After) when the budget is spent. */
export type DiffCharge = (cost: { chars: number; adjacent: boolean }) => Promise<void>;

async function spend(db: Database, name: LimitName, key: string, points: number): Promise<void> {
  // A single diff never costs more than the whole budget, so every diff can be computed once a minute.
  const outcome = await consume(db, name, key, Math.min(points, limits[name].points));
  if (!outcome.ok) {
    throw new AppError("rate_limited", `Too many large comparisons from here; try again in ${outcome.retryAfterSeconds} s (or compare neighbouring revisions from the history).`, {
      retryAfterSeconds: outcome.retryAfterSeconds,
    });
  }
}

/**
 * The per-reader budget of the JSON API: readers without an account per IP
 * address, signed-in readers (a higher budget) per account.
 */
export function readerCharge(db: Database, reader: { userId: string | null; ip: string }): DiffCharge {
  return ({ chars, adjacent }) => {
    const cost = diffCost(chars, 0, adjacent);
    return reader.userId ? spend(db, "diffCharsUser", reader.userId, cost) : spend(db, "diffCharsIp", reader.ip, cost);
  };
}

/**
 * The budget of the diff page, which is the same for every reader (the page
 * cache shares it, so it never learns who is asking): one budget for all
 * readers of the server, spent only by large diffs between revisions that are
 * not neighbours. Small and adjacent diffs are never refused.
 */
export function sharedCharge(db: Database): DiffCharge {
  return async ({ chars, adjacent }) => {
    if (adjacent || chars < SHARED_FREE_CHARS) return;
    await spend(db, "diffCharsShared", "all", diffCost(chars, 0, false));
  };
}
