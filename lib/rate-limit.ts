import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "@/lib/db/client";
import { rateLimits, signInFailures } from "@/lib/db/schema";
import { env } from "@/lib/env";

/** Limits, each counted in Postgres with an atomic upsert, so every app instance shares them. */
export const limits = {
  // Failed sign-ins per IP address (successes never count); per (account, IP) pair see signInBackoff below.
  signInFailuresIp: { points: 50, duration: 15 * 60 },
  // Password changes per account (guesses of the current password through a stolen session).
  passwordChangeUser: { points: 5, duration: 15 * 60 },
  signUpIp: { points: 5, duration: 60 * 60 }, // points: SIGNUP_IP_LIMIT
  // Mail a person can make the wiki send (password resets, verification links): per network and per address.
  mailRequestIp: { points: 10, duration: 60 * 60 },
  mailRequestAddress: { points: 3, duration: 60 * 60 },
  talkPostUser: { points: 10, duration: 10 },
  talkPostIp: { points: 10, duration: 10 },
  webmentionIp: { points: 30, duration: 60 * 60 },
  // File uploads per account per hour (points: MEDIA_UPLOADS_PER_HOUR).
  uploadUser: { points: 60, duration: 60 * 60 },
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
      points: configuredPoints(name),
      duration: limits[name].duration,
      clearExpiredByTimeout: false,
    });
    byName.set(name, found);
  }
  return found;
}

/** A limit's points: the configured number where the configuration sets one. */
function configuredPoints(name: LimitName): number {
  if (name === "signUpIp") return env().SIGNUP_IP_LIMIT;
  if (name === "uploadUser") return env().MEDIA_UPLOADS_PER_HOUR;
  return limits[name].points;
}

export type LimitOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Delete counters that expired over an hour ago (they no longer count for anything). Returns how many. */
export async function clearExpiredLimits(db: Database): Promise<number> {
  const gone = await db
    .delete(rateLimits)
    .where(lt(rateLimits.expire, new Date(Date.now() - 60 * 60 * 1000)))
    .returning({ key: rateLimits.key });
  const pairs = await db
    .delete(signInFailures)
    .where(lt(signInFailures.lastFailureAt, new Date(Date.now() - signInBackoff.forgetAfterHours * 60 * 60 * 1000)))
    .returning({ ip: signInFailures.ip });
  return gone.length + pairs.length;
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

/** Whether a limit for `key` is used up, without spending anything. */
export async function peek(db: Database, name: LimitName, key: string): Promise<LimitOutcome> {
  const res = await limiter(db, name).get(key);
  if (res && res.consumedPoints >= configuredPoints(name)) {
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
  }
  return { ok: true };
}

/**
 * Back-off for failed sign-ins of one (account, IP address) pair: the first
 * `free` failures cost nothing; after n failures the pair waits
 * min(2^(n - free), maxSeconds) seconds before its next attempt is checked.
 * A pair is forgotten after a success or `forgetAfterHours` without failures.
 * Only the pair that failed waits: the owner signing in from another address
 * is never slowed by someone else's guesses.
 */
export const signInBackoff = { free: 3, maxSeconds: 15 * 60, forgetAfterHours: 24 } as const;

/** Seconds the pair must wait after `failures` failures. */
export function backoffSeconds(failures: number): number {
  if (failures < signInBackoff.free) return 0;
  return Math.min(2 ** (failures - signInBackoff.free), signInBackoff.maxSeconds);
}

/** Whether this (account, IP) pair may try now; else how long to wait. */
export async function pairMayTry(db: Database, account: string, ip: string): Promise<LimitOutcome> {
  const [row] = await db
    .select({ blockedUntil: signInFailures.blockedUntil, lastFailureAt: signInFailures.lastFailureAt })
    .from(signInFailures)
    .where(and(eq(signInFailures.account, account), eq(signInFailures.ip, ip)));
  const wait = row ? row.blockedUntil.getTime() - Date.now() : 0;
  return wait > 0 ? { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) } : { ok: true };
}

/** Count a failed sign-in for the pair (atomically) and for its IP address. */
export async function recordSignInFailure(db: Database, account: string, ip: string): Promise<void> {
  const forget = sql`now() - make_interval(hours => ${signInBackoff.forgetAfterHours})`;
  // One upsert: a failure after the pair was forgotten starts again at one.
  const failures = sql`case when ${signInFailures.lastFailureAt} < ${forget} then 1 else ${signInFailures.failures} + 1 end`;
  const delay = (n: typeof failures) =>
    sql`now() + make_interval(secs => case when ${n} < ${signInBackoff.free} then 0 else least(power(2, ${n} - ${signInBackoff.free}), ${signInBackoff.maxSeconds}) end)`;
  await db
    .insert(signInFailures)
    .values({ account, ip, failures: 1, blockedUntil: delay(sql`1`) })
    .onConflictDoUpdate({ target: [signInFailures.account, signInFailures.ip], set: { failures, blockedUntil: delay(failures), lastFailureAt: sql`now()` } });
  await consume(db, "signInFailuresIp", ip);
}

/** A successful sign-in forgets the pair's failures (never the IP's: those were someone's failures). */
export async function clearSignInFailures(db: Database, account: string, ip: string): Promise<void> {
  await db.delete(signInFailures).where(and(eq(signInFailures.account, account), eq(signInFailures.ip, ip)));
}

/** Forget a key's count (after a successful sign-in, for example). */
export async function reset(db: Database, name: LimitName, key: string): Promise<void> {
  await limiter(db, name).delete(key);
}
