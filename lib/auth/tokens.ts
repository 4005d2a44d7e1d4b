import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { apiTokens, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import type { Actor } from "./policy";

const PREFIX = "prop_";

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** How long a token lasts when no other lifetime is chosen, and the longest one may choose. */
export const TOKEN_DAYS = { default: 90, max: 365 } as const;
/** A token's last-used time is written at most this often. */
const LAST_USED_EVERY_SECONDS = 60;

/** Create a personal API token that expires after `days` days; the plain token is returned once and never stored. */
export async function createApiToken(db: Database, userId: string, name: string, scope: "read" | "write", days: number = TOKEN_DAYS.default) {
  const cleanName = name.trim();
  if (cleanName.length === 0 || cleanName.length > 100) throw new AppError("invalid:input", "A token needs a name of 1 to 100 characters.");
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_DAYS.max) throw new AppError("invalid:input", `A token lasts from 1 to ${TOKEN_DAYS.max} days.`);
  const token = PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name: cleanName, scope, tokenHash: digest(token), prefix: token.slice(0, PREFIX.length + 6), expiresAt: sql`now() + make_interval(days => ${days})` })
    .returning({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt });
  return { ...row!, token };
}

/** What a token list shows of each token (never the secret or its hash). */
const TOKEN_COLUMNS = {
  id: apiTokens.id,
  name: apiTokens.name,
  scope: apiTokens.scope,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  expiresAt: apiTokens.expiresAt,
};

/** A user's tokens that are not revoked, expired ones included (never the secret). */
export async function listApiTokens(db: Database, userId: string) {
  return db
    .select(TOKEN_COLUMNS)
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.id))
    .limit(200);
}

/** Revoke one of the user's own tokens (any user's, for an administrator: `ownerId` undefined). */
export async function revokeApiToken(db: Database, ownerId: string | undefined, tokenId: number): Promise<{ userId: string }> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), ownerId === undefined ? undefined : eq(apiTokens.userId, ownerId), isNull(apiTokens.revokedAt)))
    .returning({ userId: apiTokens.userId });
  if (revoked.length === 0) throw new AppError("not_found:token", "No such token.");
  return revoked[0]!;
}

/**
 * The actor a bearer token stands for; null when it is unknown or revoked.
 * A blocked account's token is refused with 403 saying so (a block also
 * revokes its tokens, but the reason is the block); an expired token with 401
 * saying it expired.
 */
export async function actorFromToken(db: Database, token: string): Promise<Actor> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      blockedAt: users.blockedAt,
      scope: apiTokens.scope,
      tokenId: apiTokens.id,
      revokedAt: apiTokens.revokedAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, digest(token)));
  if (!row) return null;
  if (row.blockedAt) throw new AppError("forbidden:account", "This account is blocked; its API tokens no longer work.");
  if (row.revokedAt) return null;
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError("unauthorized", `This API token expired on ${row.expiresAt.toISOString().slice(0, 10)}; create a new one on your profile.`);
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_EVERY_SECONDS * 1000) {
    await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.tokenId));
  }
  return { id: row.id, name: row.name, role: row.role, blocked: false, scope: row.scope };
}

/** Every token of a user, for the operator (`npm run admin -- tokens`): revoked and expired ones too. */
export async function listAllApiTokens(db: Database, userId: string) {
  return db
    .select({ ...TOKEN_COLUMNS, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id))
    .limit(1000);
}
