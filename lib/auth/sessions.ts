import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { sessions, users, type User } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

/** How long a session lasts without being used (as the JWT's maxAge); each use (at most once a minute) extends it. */
export const SESSION_SECONDS = 30 * 24 * 60 * 60;
/** A session's last-seen time is written at most this often. */
export const LAST_SEEN_EVERY_SECONDS = 60;

/** Start a server-side session for a sign-in; its id goes into the (encrypted) session JWT. */
export async function createSession(db: Database, userId: string, userAgent: string): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    sessionToken: id,
    userId,
    userAgent: userAgent.slice(0, 300),
    expires: sql`now() + make_interval(secs => ${SESSION_SECONDS})`,
  });
  return id;
}

/**
 * The user of a live session, or null when it ended (signed out, signed out
 * everywhere, password changed, blocked) or expired. One indexed read; the
 * last-seen time is written only when it is over a minute old.
 */
export async function sessionUser(db: Database, sessionId: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, sessionId), gt(sessions.expires, sql`now()`)));
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > LAST_SEEN_EVERY_SECONDS * 1000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()`, expires: sql`now() + make_interval(secs => ${SESSION_SECONDS})` })
      .where(and(eq(sessions.sessionToken, sessionId), sql`${sessions.lastSeenAt} < now() - make_interval(secs => ${LAST_SEEN_EVERY_SECONDS})`));
  }
  return row.user;
}

/** End one session by its id (sign-out). */
export async function endSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sessionToken, sessionId));
}

/**
 * The handle a page shows for a session: a hash of its id, so the id itself
 * never leaves the server except inside the encrypted cookie.
 */
export function sessionHandle(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
}

const handleSql = sql`left(encode(sha256(convert_to(${sessions.sessionToken}, 'UTF8')), 'hex'), 32)`;

/** A user's live sessions, most recently seen first. */
export async function listSessions(db: Database, userId: string) {
  const rows = await db
    .select({ id: sessions.sessionToken, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expires, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt))
    .limit(100);
  return rows.map(({ id, ...row }) => ({ ...row, handle: sessionHandle(id), device: describeDevice(row.userAgent) }));
}

/** End one of the user's own sessions, named by its handle. */
export async function endSessionByHandle(db: Database, userId: string, handle: string): Promise<void> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), sql`${handleSql} = ${handle}`))
    .returning({ userId: sessions.userId });
  if (gone.length === 0) throw new AppError("invalid:input", "That session has already ended.");
}

/** End every session of the user ("sign out everywhere"); returns how many ended. */
export async function endAllSessions(db: Database, userId: string): Promise<number> {
  const gone = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ userId: sessions.userId });
  return gone.length;
}

/** "Firefox on Linux" from a User-Agent string (a rough guess, for people to recognise their devices). */
export function describeDevice(userAgent: string): string {
  const ua = userAgent;
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : /curl\//.test(ua)
              ? "curl"
              : null;
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
