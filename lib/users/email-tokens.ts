import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { emailTokens, type EmailToken, type EmailTokenPurpose } from "@/lib/db/schema";

/** How long a mailed link works. */
export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  "reset-password": 60 * 60_000,
  "verify-email": 48 * 60 * 60_000,
};

/** The stored form of a mailed token. */
export function hashEmailToken(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}

/**
 * A new one-time token for a mailed link; only its SHA-256 is stored. Earlier
 * unused tokens of the same purpose for the user stop working (the newest
 * mail is the one that counts).
 */
export async function issueEmailToken(tx: Tx, input: { userId: string; purpose: EmailTokenPurpose; email: string; now: Date }): Promise<string> {
  const raw = randomBytes(32).toString("base64url");
  await tx
    .update(emailTokens)
    .set({ usedAt: input.now })
    .where(and(eq(emailTokens.userId, input.userId), eq(emailTokens.purpose, input.purpose), isNull(emailTokens.usedAt)));
  await tx.insert(emailTokens).values({
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: hashEmailToken(raw),
    email: input.email,
    expiresAt: new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose]),
  });
  return raw;
}

/** Use a token once: the row if it was unused and unexpired at `now` (it is then used), else null. */
export async function consumeEmailToken(db: Database | Tx, raw: string, purpose: EmailTokenPurpose, now: Date): Promise<EmailToken | null> {
  if (raw.length < 20 || raw.length > 100) return null;
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, hashEmailToken(raw)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning();
  return row ?? null;
}

/** Whether a token would work now, without using it (the reset page asks before showing its form). */
export async function emailTokenValid(db: Database, raw: string, purpose: EmailTokenPurpose, now: Date): Promise<boolean> {
  if (raw.length < 20 || raw.length > 100) return false;
  const [row] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashEmailToken(raw)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)));
  return row !== undefined;
}
