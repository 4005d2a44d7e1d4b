import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { mailOutbox, users } from "@/lib/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { issueEmailToken } from "./email-tokens";

/**
 * The mails about a person's account, each put in the outbox inside the
 * transaction of the change that causes it.
 */

/** A link that proves `email` belongs to the user (a new account, or a changed address). */
export async function queueVerificationMail(tx: Tx, input: { userId: string; name: string; email: string; origin: string; now: Date }): Promise<void> {
  const token = await issueEmailToken(tx, { userId: input.userId, purpose: "verify-email", email: input.email, now: input.now });
  const url = `${input.origin}/verify-email?token=${token}`;
  await enqueueMail(tx, {
    kind: "verify-email",
    userId: input.userId,
    to: input.email,
    content: {
      subject: "Confirm your email address for Propagate",
      blocks: [
        { text: `Hello ${input.name},` },
        { text: "Please confirm that this address is yours by opening this link (it works for 48 hours, once):" },
        { link: { label: "Confirm my address", url } },
        { text: "If you did not ask for this, ignore this mail: nothing changes." },
      ],
    },
  });
}

/** A password reset link, valid for an hour, once. */
export async function queuePasswordResetMail(tx: Tx, input: { userId: string; name: string; email: string; origin: string; now: Date }): Promise<void> {
  const token = await issueEmailToken(tx, { userId: input.userId, purpose: "reset-password", email: input.email, now: input.now });
  const url = `${input.origin}/reset-password?token=${token}`;
  await enqueueMail(tx, {
    kind: "password-reset",
    userId: input.userId,
    to: input.email,
    content: {
      subject: "Reset your Propagate password",
      blocks: [
        { text: `Hello ${input.name},` },
        { text: "Someone (we hope you) asked to reset the password of your account. Choose a new one here; the link works for one hour, once:" },
        { link: { label: "Choose a new password", url } },
        { text: "Setting a new password signs you out everywhere and revokes your API tokens. If you did not ask for this, ignore this mail: your password stays as it is." },
      ],
    },
  });
}

/**
 * "Forgot password?" asks here: one outbox row of kind "reset-request" (its
 * subject holds the origin the link will use), whatever the address. The
 * request's answer and time are then the same for a known and an unknown
 * address (looking the account up and writing its token made a known
 * address's answer take twice as long); resolvePasswordResetRequests does the rest.
 */
export async function queuePasswordResetRequest(db: Database, input: { email: string; origin: string }): Promise<void> {
  await db.insert(mailOutbox).values({ kind: "reset-request", userId: null, toAddress: input.email, subject: input.origin, textBody: "", htmlBody: "" });
}

/**
 * In the mail loop: each waiting reset request becomes a reset mail (to an
 * account that has the address, is not blocked and is no system account) or
 * nothing, and is deleted in the same transaction. SKIP LOCKED: two servers
 * never resolve one request.
 */
export async function resolvePasswordResetRequests(db: Database, now: Date): Promise<number> {
  let resolved = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const requests = await tx
        .select({ id: mailOutbox.id, email: mailOutbox.toAddress, origin: mailOutbox.subject })
        .from(mailOutbox)
        .where(and(eq(mailOutbox.kind, "reset-request"), eq(mailOutbox.status, "pending")))
        .orderBy(asc(mailOutbox.id))
        .limit(20)
        .for("update", { skipLocked: true });
      for (const request of requests) {
        const [user] = await tx.select().from(users).where(sql`lower(${users.email}) = ${request.email}`);
        if (user?.email && !user.isSystem && !user.blockedAt) {
          await queuePasswordResetMail(tx, { userId: user.id, name: user.name, email: user.email, origin: request.origin, now });
        }
        await tx.delete(mailOutbox).where(eq(mailOutbox.id, request.id));
      }
      return requests.length;
    });
    resolved += done;
    if (done < 20) return resolved;
  }
}

/** Someone signed up (or tried to move an account) with an address that already has an account: its owner is told, nobody else learns it. */
export async function queueAccountExistsMail(tx: Tx, input: { userId: string; name: string; email: string; origin: string }): Promise<void> {
  await enqueueMail(tx, {
    kind: "account-exists",
    userId: input.userId,
    to: input.email,
    content: {
      subject: "Someone tried to create a Propagate account with your address",
      blocks: [
        { text: `Hello ${input.name},` },
        { text: "Someone tried to create an account with this email address, which already belongs to your account. Nothing was created or changed." },
        { text: "If it was you: you already have an account. Sign in, or reset your password if you have forgotten it:" },
        { link: { label: "Reset my password", url: `${input.origin}/forgot-password` } },
        { text: "If it was not you, you can ignore this mail." },
      ],
    },
  });
}
