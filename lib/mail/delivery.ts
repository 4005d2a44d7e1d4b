import "server-only";
import { and, asc, eq, inArray, lt, lte, notInArray, or, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mailOutbox } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { REQUEST_KINDS } from "./outbox";
import type { MailTransport } from "./transport";

/** Minutes to wait after the 1st, 2nd, … failed attempt; after the last, the mail is given up (status "failed"). */
export const BACKOFF_MINUTES = [1, 2, 5, 15, 30, 60, 120, 240, 480, 720] as const;
/** A mail claimed this long ago and never marked sent: its sender died mid-send; it is not sent again (at most once). */
export const INTERRUPTED_AFTER_MS = 15 * 60_000;
/**
 * Mails that carry a one-time link (its token is stored hashed in
 * email_tokens, but a mail's body holds it whole): once the mail is sent or
 * given up, its body is replaced, so neither the database nor a backup of it
 * keeps a working link.
 */
const CARRIES_LINK = ["password-reset", "verify-email"];
const SCRUBBED = "(This mail held a one-time link; once sent or given up, its text is not kept.)";
const scrub = (kind: string) => (CARRIES_LINK.includes(kind) ? { textBody: SCRUBBED, htmlBody: SCRUBBED } : {});

/** Sent and given-up mails are kept this long (the hourly counts need an hour; an operator looking into a complaint, a few weeks), then deleted. */
export const KEPT_AFTER_DONE_MS = 30 * 24 * 60 * 60_000;
/** Old rows deleted per round: bounded work per tick. */
const PRUNE_BATCH = 1000;

/** Mails claimed per round: bounded work per tick. */
const BATCH = 20;

export type DeliveryReport = { sent: number; retrying: number; failed: number; interrupted: number; pruned: number };

/** An SMTP 5xx answer will not change by trying again. */
function permanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  const e = error as { code?: unknown; response?: unknown; message?: unknown };
  const parts = [e?.code, e?.response ?? e?.message].filter((p) => typeof p === "string" && p.length > 0);
  return (parts.join(": ") || "unknown error").slice(0, 500);
}

/** The Message-ID of an outbox row: the same for every attempt, so a receiver can tell repeats apart. */
export function messageIdOf(id: number): string {
  const from = env().MAIL_FROM;
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? "localhost";
  return `<outbox-${id}@${domain}>`;
}

/**
 * Send what is due in the outbox at `now`. Rows are claimed first (status
 * "sending", committed; SKIP LOCKED, so two servers never take the same row),
 * then sent one by one. A success marks the row "sent"; a failure puts it back
 * with the next back-off, or gives up on a permanent (5xx) answer or after the
 * last attempt. The request that queued the mail has long been answered: a
 * failure here never reaches it.
 */
export async function deliverDue(db: Database, transport: MailTransport, now: Date): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, interrupted: await abandonInterrupted(db, now), pruned: await pruneDone(db, now) };
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const due = await tx
        .select({ id: mailOutbox.id })
        .from(mailOutbox)
        // A mail never tried goes at once; a retry waits for its back-off.
        .where(and(eq(mailOutbox.status, "pending"), notInArray(mailOutbox.kind, REQUEST_KINDS), or(eq(mailOutbox.attempts, 0), lte(mailOutbox.nextAttemptAt, now))))
        .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(mailOutbox)
        .set({ status: "sending", claimedAt: now, attempts: sql`${mailOutbox.attempts} + 1` })
        .where(inArray(mailOutbox.id, due.map((d) => d.id)))
        .returning();
    });
    if (claimed.length === 0) return report;
    for (const row of claimed) {
      try {
        await transport.send({ to: row.toAddress, subject: row.subject, text: row.textBody, html: row.htmlBody, headers: row.headers, messageId: messageIdOf(row.id) });
        await db.update(mailOutbox).set({ status: "sent", sentAt: now, lastError: null, ...scrub(row.kind) }).where(eq(mailOutbox.id, row.id));
        report.sent++;
      } catch (error) {
        const giveUp = permanent(error) || row.attempts >= BACKOFF_MINUTES.length + 1;
        const wait = BACKOFF_MINUTES[Math.min(row.attempts, BACKOFF_MINUTES.length) - 1] ?? BACKOFF_MINUTES[0];
        await db
          .update(mailOutbox)
          .set(giveUp ? { status: "failed", lastError: describe(error), ...scrub(row.kind) } : { status: "pending", nextAttemptAt: new Date(now.getTime() + wait * 60_000), lastError: describe(error) })
          .where(eq(mailOutbox.id, row.id));
        if (giveUp) report.failed++;
        else report.retrying++;
        console.warn(`mail: outbox ${row.id} (${row.kind}) attempt ${row.attempts} failed: ${describe(error)}${giveUp ? "; given up" : `; next try in ${wait} min`}`);
      }
    }
    if (claimed.length < BATCH) return report;
  }
}

/** Delete sent and given-up mails older than KEPT_AFTER_DONE_MS, a bounded batch a round: the outbox does not grow with every mail ever sent. */
async function pruneDone(db: Database, now: Date): Promise<number> {
  const old = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(inArray(mailOutbox.status, ["sent", "failed"]), lt(mailOutbox.createdAt, new Date(now.getTime() - KEPT_AFTER_DONE_MS))))
    .limit(PRUNE_BATCH);
  const rows = await db.delete(mailOutbox).where(inArray(mailOutbox.id, old)).returning({ id: mailOutbox.id });
  return rows.length;
}

/** Rows left "sending" by a server that died mid-send: marked failed, never sent again (the mail may have arrived). */
async function abandonInterrupted(db: Database, now: Date): Promise<number> {
  const rows = await db
    .update(mailOutbox)
    .set({
      status: "failed",
      lastError: "interrupted while sending (the server stopped); not sent again, it may have arrived",
      textBody: sql`case when ${inArray(mailOutbox.kind, CARRIES_LINK)} then ${SCRUBBED} else ${mailOutbox.textBody} end`,
      htmlBody: sql`case when ${inArray(mailOutbox.kind, CARRIES_LINK)} then ${SCRUBBED} else ${mailOutbox.htmlBody} end`,
    })
    .where(and(eq(mailOutbox.status, "sending"), lt(mailOutbox.claimedAt, new Date(now.getTime() - INTERRUPTED_AFTER_MS))))
    .returning({ id: mailOutbox.id });
  return rows.length;
}
