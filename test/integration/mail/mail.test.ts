import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTokenCommand } from "@/lib/commands/users/api-tokens";
import { changeEmailCommand } from "@/lib/commands/users/change-email";
import { setMailPreferencesCommand, unsubscribeCommand } from "@/lib/commands/users/mail-preferences";
import { requestPasswordResetCommand } from "@/lib/commands/users/request-password-reset";
import { resetPasswordCommand } from "@/lib/commands/users/reset-password";
import { signUpCommand } from "@/lib/commands/users/sign-up";
import { verifyEmailCommand } from "@/lib/commands/users/verify-email";
import { apiTokens, mailOutbox, sessions, users, watches } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { deliverDue } from "@/lib/mail/delivery";
import { composeNotificationMails } from "@/lib/mail/notification-mail";
import { smtpTransport } from "@/lib/mail/transport";
import { createSession } from "@/lib/auth/sessions";
import { resolvePasswordResetRequests } from "@/lib/users/account-mail";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, conceptSource } from "../../support/factories";
import { linkIn, startSmtpSink } from "../../support/smtp-sink";

const ORIGIN = "http://wiki.example";
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let clock = new Date();
const now = () => clock;
const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
const transport = () => smtpTransport(sink.url, "Propagate <wiki@wiki.example>");

/** Send what is due now, as the app server's loop does. */
async function deliver() {
  await resolvePasswordResetRequests(testDb(), clock);
  await composeNotificationMails(testDb(), clock, ORIGIN);
  return deliverDue(testDb(), transport(), clock);
}

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.stop();
});
beforeEach(async () => {
  await resetDatabase();
  sink.mails.length = 0;
  // The injected clock starts at the real now (rows take the database's now() when written) and moves on by hand.
  clock = new Date();
  delete process.env.ADMIN_EMAIL;
  resetEnv();
});

describe("password reset", () => {
  it("answers alike for known and unknown addresses, mails only the known one, and the link works once within the hour", async () => {
    const db = testDb();
    const ann = await buildUser(db, { name: "Ann Reset", email: "ann@example.org" });
    const session = await createSession(db, ann.id, "test");
    await run(db, createTokenCommand, actorOf(ann), { name: "bot", scope: "write", days: 30 });
    const known = await run(db, requestPasswordResetCommand, null, { email: "ann@example.org" }, { now });
    const unknown = await run(db, requestPasswordResetCommand, null, { email: "nobody@example.org" }, { now, ip: "192.0.2.9" });
    expect(known).toEqual(unknown);
    await deliver();
    expect(sink.mails.map((m) => m.to)).toEqual(["ann@example.org"]);
    const mail = sink.mails[0]!;
    expect(mail.html).toContain("Choose a new password");
    const link = new URL(linkIn(mail, "/reset-password?token="));
    const token = link.searchParams.get("token")!;
    // Only the hash is stored.
    expect(JSON.stringify(await db.execute("select token_hash from email_tokens"))).not.toContain(token);
    later(30);
    await run(db, resetPasswordCommand, null, { token, password: "a brand new passphrase 42" }, { now });
    expect(await db.select().from(sessions).where(eq(sessions.sessionToken, session))).toEqual([]);
    const tokens = await db.select().from(apiTokens).where(eq(apiTokens.userId, ann.id));
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    await expect(run(db, resetPasswordCommand, null, { token, password: "another passphrase 43" }, { now })).rejects.toThrow(/expired or was already used/);
  });

  it("refuses a link older than an hour", async () => {
    const db = testDb();
    await buildUser(db, { name: "Old Link", email: "old@example.org" });
    await run(db, requestPasswordResetCommand, null, { email: "old@example.org" }, { now });
    await deliver();
    const token = new URL(linkIn(sink.mails[0]!, "/reset-password?token=")).searchParams.get("token")!;
    later(61);
    await expect(run(db, resetPasswordCommand, null, { token, password: "a brand new passphrase 42" }, { now })).rejects.toThrow(/expired/);
  });
});

describe("verified addresses", () => {
  it("a new account gets a link; ADMIN_EMAIL promotes only once it is followed; a second sign-up with the address tells its owner", async () => {
    const db = testDb();
    await buildUser(db, { name: "First One" }); // not the first account on the wiki
    process.env.ADMIN_EMAIL = "boss@example.org";
    resetEnv();
    await run(db, signUpCommand, null, { name: "Boss", email: "boss@example.org", password: "kettle orchard lantern 1" }, { now });
    const [before] = await db.select().from(users).where(eq(users.email, "boss@example.org"));
    expect(before).toMatchObject({ role: "editor", emailVerified: null });
    const again = await run(db, signUpCommand, null, { name: "Impostor", email: "boss@example.org", password: "other password here 2" }, { now });
    expect(again).toEqual({ accepted: true });
    await deliver();
    expect(sink.mails.map((m) => [m.to, m.subject])).toEqual([
      ["boss@example.org", "Confirm your email address for Propagate"],
      ["boss@example.org", "Someone tried to create a Propagate account with your address"],
    ]);
    const token = new URL(linkIn(sink.mails[0]!, "/verify-email?token=")).searchParams.get("token")!;
    expect(await run(db, verifyEmailCommand, null, { token }, { now })).toEqual({ email: "boss@example.org", promoted: true });
    const [after] = await db.select().from(users).where(eq(users.id, before!.id));
    expect(after!.role).toBe("admin");
    expect(after!.emailVerified).not.toBeNull();
    expect((await db.select().from(users).where(eq(users.name, "Impostor"))).length).toBe(0);
  });

  it("a changed address becomes the account's only when its link is followed", async () => {
    const db = testDb();
    const ann = await buildUser(db, { name: "Ann Move", email: "ann.old@example.org", emailVerified: clock });
    await run(db, changeEmailCommand, actorOf(ann), { email: "ann.new@example.org" }, { now });
    expect((await db.select().from(users).where(eq(users.id, ann.id)))[0]).toMatchObject({ email: "ann.old@example.org", pendingEmail: "ann.new@example.org" });
    await deliver();
    const mail = await sink.waitFor("ann.new@example.org");
    await run(db, verifyEmailCommand, null, { token: new URL(linkIn(mail, "/verify-email?token=")).searchParams.get("token")! }, { now });
    expect((await db.select().from(users).where(eq(users.id, ann.id)))[0]).toMatchObject({ email: "ann.new@example.org", pendingEmail: null });
  });
});

describe("notifications by mail", () => {
  async function watcher(name: string, email: string) {
    const db = testDb();
    return buildUser(db, { name, email, emailVerified: clock });
  }
  async function edit(title: string, authorId: string, text: string, minor = false) {
    const db = testDb();
    const [page] = await db.execute<{ latest_revision_id: number }>(`select latest_revision_id from pages where title = '${title}'`);
    const saved = await savePage(db, { title, content: conceptSource(title, text), authorId, summary: text.slice(0, 20), baseRevisionId: page!.latest_revision_id, minor });
    if (saved.status !== "saved") throw new Error("not saved");
  }

  it("at most one mail per page an hour: later edits are gathered into the next; each mail has both parts, a diff link and one-click unsubscribe", async () => {
    const db = testDb();
    const editor = await buildUser(db, { name: "Eddie" });
    const wanda = await watcher("Wanda", "wanda@example.org");
    const page = await buildPage(db, "Mailed page", conceptSource("Mailed page"), editor);
    await db.insert(watches).values({ userId: wanda.id, pageId: page.page.id });
    await edit("Mailed page", editor.id, "First change.");
    await edit("Mailed page", editor.id, "A minor fix.", true); // minor: Wanda did not ask for those
    await deliver();
    expect(sink.mails).toHaveLength(1);
    const first = sink.mails[0]!;
    expect(first.text).toContain("Eddie edited Mailed page");
    expect(first.text).toMatch(/\/wiki\/Mailed_page\/diff\?from=\d+&to=\d+/);
    expect(first.html).toContain("Eddie edited Mailed page");
    // Header lines as sent, unfolded.
    const raw = (key: string) => (first.parsed.headerLines.find((h) => h.key === key)?.line ?? "").replace(/\r\n\s+/g, " ");
    expect(raw("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(raw("list-unsubscribe")).toMatch(/^List-Unsubscribe: <http:\/\/wiki\.example\/api\/unsubscribe\?user=[^&]+&token=[\w-]+>$/);
    later(10);
    await edit("Mailed page", editor.id, "Second change.");
    await edit("Mailed page", editor.id, "Third change.");
    await deliver();
    expect(sink.mails).toHaveLength(1);
    later(51);
    await deliver();
    expect(sink.mails).toHaveLength(2);
    expect(sink.mails[1]!.text).toContain("2 things happened on Mailed page");
    expect(sink.mails[1]!.text).toContain("All these edits in one diff");
  });

  it("a daily digest gathers a day of notifications into one mail", async () => {
    const db = testDb();
    const editor = await buildUser(db, { name: "Dee" });
    const daisy = await watcher("Daisy", "daisy@example.org");
    await run(db, setMailPreferencesCommand, actorOf(daisy), { mail: "daily" }, { now });
    for (const title of ["Digest one", "Digest two"]) {
      const p = await buildPage(db, title, conceptSource(title), editor);
      await db.insert(watches).values({ userId: daisy.id, pageId: p.page.id });
      await edit(title, editor.id, "Changed once.");
    }
    later(60);
    await edit("Digest one", editor.id, "Changed twice.");
    await deliver();
    expect(sink.mails).toHaveLength(0);
    later(23 * 60);
    await deliver();
    expect(sink.mails).toHaveLength(1);
    expect(sink.mails[0]!.subject).toBe("Your daily digest: 3 new on 2 pages");
    later(60);
    await deliver();
    expect(sink.mails).toHaveLength(1);
  });

  it("one-click unsubscribe stops notification mail", async () => {
    const db = testDb();
    const editor = await buildUser(db, { name: "Una Editor" });
    const ulla = await watcher("Ulla", "ulla@example.org");
    const page = await buildPage(db, "Unsubscribed page", conceptSource("Unsubscribed page"), editor);
    await db.insert(watches).values({ userId: ulla.id, pageId: page.page.id });
    await edit("Unsubscribed page", editor.id, "One.");
    await deliver();
    const url = new URL(linkIn(sink.mails[0]!, "/unsubscribe?user="));
    await run(db, unsubscribeCommand, null, { user: url.searchParams.get("user"), token: url.searchParams.get("token") });
    await expect(run(db, unsubscribeCommand, null, { user: ulla.id, token: "forged-token-forged-token-forged-token-123" })).rejects.toThrow(/not valid/);
    later(120);
    await edit("Unsubscribed page", editor.id, "Two.");
    await deliver();
    expect(sink.mails).toHaveLength(1);
    expect((await db.select().from(users).where(eq(users.id, ulla.id)))[0]!.mailNotifications).toBe("never");
  });
});

describe("the outbox", () => {
  it("keeps mail while the SMTP server is down, retries with back-off and delivers it once", async () => {
    const db = testDb();
    await buildUser(db, { name: "Patient", email: "patient@example.org" });
    await sink.stop();
    try {
      await run(db, requestPasswordResetCommand, null, { email: "patient@example.org" }, { now });
      expect(await deliver()).toMatchObject({ sent: 0, retrying: 1 });
      const [row] = await db.select().from(mailOutbox);
      expect(row).toMatchObject({ status: "pending", attempts: 1 });
      expect(row!.nextAttemptAt.getTime()).toBe(clock.getTime() + 60_000);
      // Not due yet: nothing is tried.
      expect(await deliver()).toMatchObject({ sent: 0, retrying: 0 });
      later(1);
      expect(await deliver()).toMatchObject({ retrying: 1 });
    } finally {
      await sink.start();
    }
    later(1);
    expect(await deliver()).toMatchObject({ sent: 0 }); // second back-off is 2 minutes
    later(1);
    expect(await deliver()).toMatchObject({ sent: 1 });
    later(60);
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(sink.mails.filter((m) => m.to === "patient@example.org")).toHaveLength(1);
    const [row] = await db.select().from(mailOutbox).where(and(eq(mailOutbox.kind, "password-reset")));
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
  });
});
