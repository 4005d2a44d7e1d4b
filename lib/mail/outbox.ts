import "server-only";
import type { Database, Tx } from "@/lib/db/client";
import { mailOutbox } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { renderMail, type MailContent } from "./message";

export type MailKind = "password-reset" | "verify-email" | "account-exists" | "notification" | "moderation" | "batch" | "digest";

/**
 * Outbox rows that are not mails yet but requests for one, which their domain
 * turns into a mail (or into nothing) in the mail loop, off the request path
 * (lib/users/account-mail.ts: a password reset request, whose answer and time
 * must not tell whether the address has an account). Delivery never sends them.
 */
export const REQUEST_KINDS = ["reset-request"];

/**
 * Put a mail in the outbox. Call it inside the transaction of the change
 * that causes the mail: the mail exists exactly when the change committed.
 * The mail loop (lib/mail/delivery.ts) sends it after commit; a command that
 * enqueues emits `mail.queued` so this server's loop looks at once.
 */
export async function enqueueMail(
  db: Database | Tx,
  mail: { kind: MailKind; userId: string | null; to: string; content: MailContent; headers?: Record<string, string>; /** The composer's clock (the moderation mail's hour counts from it); else the database's now. */ createdAt?: Date },
): Promise<number> {
  const rendered = renderMail(mail.content);
  const [row] = await db
    .insert(mailOutbox)
    .values({ kind: mail.kind, userId: mail.userId, toAddress: mail.to, subject: rendered.subject, textBody: rendered.text, htmlBody: rendered.html, headers: mail.headers ?? {}, ...(mail.createdAt ? { createdAt: mail.createdAt } : {}) })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

/** The wiki's origin for links in mail composed outside a request (notifications): PUBLIC_URL, else this server on localhost. */
export function mailOrigin(): string {
  const e = env();
  return e.PUBLIC_URL?.replace(/\/+$/, "") ?? `http://localhost:${e.PORT}`;
}
