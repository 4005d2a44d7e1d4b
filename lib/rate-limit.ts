import "server-only";
import { lt } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/lib/db/client";
import { rateLimits } from "@/lib/db/schema";
import { env } from "@/lib/env";

/** Limits, each counted in Postgres with an atomic upsert, so every app instance shares them. */
export const limits = {
  signInAccount: { points: 5, duration: 15 * 60 },
  signInIp: { points: 20, duration: 15 * 60 },
  signUpIp: { points: 5, duration: 60 * 60 }, // points: SIGNUP_IP_LIMIT
  talkPostUser: { points: 10, duration: 10 },
  talkPostIp: { points: 10, duration: 10 },
  webmentionIp: { points: 30, duration: 60 * 60 },
  // Characters diffed per minute on a diff-cache miss (lib/wiki/diff-cost.ts): readers without
  // a session per IP, signed-in readers per account, and the shared diff page for everyone.
  diffCharsIp: { points: 2_000_000, duration: 60 },
  diffCharsUser: { points: 20_000_000, duration: 60 },
  diffCharsShared: { points: 24_000_000, duration: 60 },
} as const;

export type LimitName = keyof typeof limits;

const cache = new WeakMap<Database, Map<LimitName, RateLimiterDrizzle>>();

function limiter(db: Database, name: LimitName): RateLimiterDrizzle {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    found = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: name,
      points: name === "signUpIp" ? env().SIGNUP_IP_LIMIT : limits[name].points,
      duration: limits[name].duration,
      clearExpiredByTimeout: false,
    });
    byName.set(name, found);
  }
  return found;
}

export type LimitOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Delete counters that expired over an hour ago (they no longer count for anything). Returns how many. */
export async function clearExpiredLimits(db: Database): Promise<number> {
  const gone = await db
    .delete(rateLimits)
    .where(lt(rateLimits.expire, new Date(Date.now() - 60 * 60 * 1000)))
    .returning({ key: rateLimits.key });
  return gone.length;
}

let cleanup: ReturnType<typeof setInterval> | undefined;

/** In the running server, clear expired counters every ten minutes so the table stays small. */
function scheduleCleanup(db: Database): void {
  if (cleanup || env().NODE_ENV !== "production") return;
  cleanup = setInterval(() => {
    clearExpiredLimits(db).catch((error: unknown) => console.error("rate limits: cleanup failed", error));
  }, 10 * 60 * 1000);
  cleanup.unref();
}

/** Spend `points` (default one) of a limit for `key`; refused once the limit is used up. */
export async function consume(db: Database, name: LimitName, key: string, points = 1): Promise<LimitOutcome> {
  scheduleCleanup(db);
  try {
    await limiter(db, name).consume(key, points);
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    throw error;
  }
}

/** Forget a key's count (after a successful sign-in, for example). */
export async function reset(db: Database, name: LimitName, key: string): Promise<void> {
  await limiter(db, name).delete(key);
}
