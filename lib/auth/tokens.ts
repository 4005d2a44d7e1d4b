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

/** Create a personal API token; the plain token is returned once and never stored. */
export async function createApiToken(db: Database, userId: string, name: string, scope: "read" | "write") {
  const cleanName = name.trim();
  if (cleanName.length === 0 || cleanName.length > 100) throw new AppError("invalid:input", "A token needs a name of 1 to 100 characters.");
  const token = PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name: cleanName, scope, tokenHash: digest(token), prefix: token.slice(0, PREFIX.length + 6) })
    .returning({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, createdAt: apiTokens.createdAt });
  return { ...row!, token };
}

/** A user's tokens that are not revoked (never the secret). */
export async function listApiTokens(db: Database, userId: string) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.id));
}

/** Revoke one of the user's own tokens. */
export async function revokeApiToken(db: Database, userId: string, tokenId: number): Promise<void> {
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (revoked.length === 0) throw new AppError("not_found:token", "No such token.");
}

/** The actor a bearer token stands for, or null when it is unknown, revoked or its user blocked. */
export async function actorFromToken(db: Database, token: string): Promise<Actor> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ id: users.id, name: users.name, role: users.role, blockedAt: users.blockedAt, scope: apiTokens.scope, tokenId: apiTokens.id })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, digest(token)), isNull(apiTokens.revokedAt)));
  if (!row || row.blockedAt) return null;
  await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.tokenId));
  return { id: row.id, name: row.name, role: row.role, blocked: false, scope: row.scope };
}
