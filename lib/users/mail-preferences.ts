import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { users, type MailChoice } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Set how notifications reach a user by mail. Choosing the daily digest starts
 * its day now (the first digest comes a day later, with everything since).
 */
export async function setMailChoice(db: Database, userId: string, choice: { mail: MailChoice; minorEdits?: boolean }, now: Date): Promise<void> {
  const [before] = await db.select({ mail: users.mailNotifications }).from(users).where(eq(users.id, userId));
  if (!before) throw new AppError("not_found:user", "No such user.");
  await db
    .update(users)
    .set({
      mailNotifications: choice.mail,
      ...(choice.minorEdits === undefined ? {} : { notifyMinorEdits: choice.minorEdits }),
      ...(choice.mail === "daily" && before.mail !== "daily" ? { lastDigestAt: now } : {}),
    })
    .where(eq(users.id, userId));
}

/** What the profile shows of a user's mail settings. */
export async function mailSettings(db: Database, userId: string) {
  const [row] = await db
    .select({ email: users.email, verified: users.emailVerified, pendingEmail: users.pendingEmail, mail: users.mailNotifications, minorEdits: users.notifyMinorEdits })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}
