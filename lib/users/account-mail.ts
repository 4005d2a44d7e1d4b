import "server-only";
import type { Tx } from "@/lib/db/client";
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
