import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changeEmailCommand } from "@/lib/commands/users/change-email";
import { unsubscribeCommand } from "@/lib/commands/users/mail-preferences";
import { requestPasswordResetCommand } from "@/lib/commands/users/request-password-reset";
import { signUpCommand } from "@/lib/commands/users/sign-up";
import { verifyEmailCommand } from "@/lib/commands/users/verify-email";
import { mailOutbox, users, watches } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { deliverDue } from "@/lib/mail/delivery";
import { composeNotificationMails } from "@/lib/mail/notification-mail";
import { smtpTransport } from "@/lib/mail/transport";
import { unsubscribeToken } from "@/lib/mail/unsubscribe";
import { seed } from "@/lib/seed";
import { createThread } from "@/lib/talk/post-store";
import { pages } from "@/lib/db/schema";
import { resolvePasswordResetRequests } from "@/lib/users/account-mail";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, conceptSource } from "../../support/factories";
import { linkIn, startSmtpSink } from "../../support/smtp-sink";

/**
 * The adversary pass on issue 18 (mail): what an anonymous visitor or a
 * hostile member can make the wiki send, forge or reveal.
 */
const ORIGIN = "http://wiki.example";
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const clock = () => new Date();

async function deliver() {
  await resolvePasswordResetRequests(testDb(), clock());
  await composeNotificationMails(testDb(), clock(), ORIGIN);
  return deliverDue(testDb(), smtpTransport(sink.url, "Propagate <wiki@wiki.example>"), clock());
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
  delete process.env.ADMIN_EMAIL;
  resetEnv();
});

describe("mail flooding", () => {
  it("signing up again and again with someone's address (from many networks) mails its owner at most three times an hour, and every answer is the same", async () => {
    const db = testDb();
    await buildUser(db, { name: "Owner Olga", email: "olga@example.org" });
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await run(db, signUpCommand, null, { name: `Flooder ${i}`, email: "olga@example.org", password: "kettle orchard lantern 1" }, { ip: `198.51.100.${i + 1}` }));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ accepted: true })]));
    const queued = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "olga@example.org"));
    expect(queued.map((m) => m.kind)).toEqual(["account-exists", "account-exists", "account-exists"]);
  });

  it("moving an account to an address mails it at most three times an hour (a member without a password was not bounded at all), refused alike for a taken and a free address, and one account tries at most five times in a quarter of an hour", async () => {
    const db = testDb();
    await buildUser(db, { name: "Taken Tom", email: "tom@example.org" });
    // An account made through single sign-on has no password: nothing else asks anything of it.
    const mallory = await buildUser(db, { name: "Mallory", email: "mallory@example.org", emailVerified: new Date() });
    const trudy = await buildUser(db, { name: "Trudy", email: "trudy@example.org", emailVerified: new Date() });
    const attempt = (who: typeof mallory, email: string) => run(db, changeEmailCommand, actorOf(who), { email });
    for (let i = 0; i < 3; i++) {
      await attempt(i % 2 ? mallory : trudy, "tom@example.org");
      await attempt(i % 2 ? mallory : trudy, "free@example.org");
    }
    const taken = await attempt(mallory, "tom@example.org").catch((e: Error) => e.message);
    const free = await attempt(mallory, "free@example.org").catch((e: Error) => e.message);
    expect(taken).toBe("Too many confirmation mails were asked for; try again later.");
    expect(free).toBe(taken);
    const rows = await db.select({ to: mailOutbox.toAddress }).from(mailOutbox);
    expect(rows.filter((r) => r.to === "tom@example.org")).toHaveLength(3);
    expect(rows.filter((r) => r.to === "free@example.org")).toHaveLength(3);
    // And per account, whatever the addresses: five tries in a quarter of an hour.
    const spread = [];
    for (let i = 0; i < 6; i++) spread.push(await attempt(mallory, `other${i}@example.org`).then(() => "ok", (e: Error) => e.message));
    expect(spread.filter((s) => s === "ok").length).toBeLessThanOrEqual(3); // Mallory's two tries above count too
    expect(spread.at(-1)).toBe("Too many attempts; try again later.");
  });

  it("one network gets ten reset mails an hour, and is then refused alike for known and unknown addresses", async () => {
    const db = testDb();
    await buildUser(db, { name: "Known Kim", email: "kim@example.org" });
    for (let i = 0; i < 10; i++) await run(db, requestPasswordResetCommand, null, { email: `someone${i}@example.org` }, { ip: "203.0.113.5" });
    const known = await run(db, requestPasswordResetCommand, null, { email: "kim@example.org" }, { ip: "203.0.113.5" }).catch((e: Error) => e.message);
    const unknown = await run(db, requestPasswordResetCommand, null, { email: "nobody@example.org" }, { ip: "203.0.113.5" }).catch((e: Error) => e.message);
    expect(known).toBe("Too many requests from your network; try again later.");
    expect(unknown).toBe(known);
    await deliver();
    expect(sink.mails).toHaveLength(0); // ten unknown addresses: no mail; the refused known one: none either
  });
});

describe("held posts", () => {
  it("a guest holding posts on many pages gets each moderator one mail an hour, not one per page", async () => {
    const db = testDb();
    await seed(db);
    const mod = await buildUser(db, { name: "Mona Mod", email: "mona@example.org", emailVerified: new Date(), role: "moderator" });
    const targets = (await db.select({ id: pages.id }).from(pages).limit(8)).map((p) => p.id);
    expect(targets).toHaveLength(8);
    let clock = new Date();
    const compose = async () => {
      await composeNotificationMails(db, clock, ORIGIN);
      return deliverDue(db, smtpTransport(sink.url, "Propagate <wiki@wiki.example>"), clock);
    };
    const spam = async (pageId: number, i: number) => {
      const held = await createThread(db, { pageId, title: `Deal ${i}`, source: "Cheap soma without rx", author: { guest: { name: `Spammer ${i}` } }, meta: { ip: `203.0.113.${i + 1}`, secondsToFill: 30 } });
      expect(held.status).toBe("held");
    };
    for (const [i, pageId] of targets.entries()) await spam(pageId, i);
    await compose();
    expect(sink.mails.filter((m) => m.to === "mona@example.org").map((m) => m.subject)).toEqual(["8 posts wait for a moderator"]);
    const mail = sink.mails[0]!;
    expect(mail.text).toContain("A post by Spammer 0 in \"Deal 0\"");
    expect(mail.text).toContain(`${ORIGIN}/moderation`);
    expect(mail.parsed.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    clock = new Date(clock.getTime() + 10 * 60_000);
    await spam(targets[0]!, 8);
    await compose();
    expect(sink.mails).toHaveLength(1);
    clock = new Date(clock.getTime() + 51 * 60_000);
    await compose();
    expect(sink.mails.map((m) => m.subject)).toEqual(["8 posts wait for a moderator", expect.stringMatching(/: A post by Spammer 8 in "Deal 8" on the talk page of .* waits for a moderator$/)]);
    expect(mod.id).toBeTruthy();
  });
});

describe("mentions on many pages", () => {
  it("a guest mentioning someone on thirteen pages sends them ten mails and one gathering the rest, then nothing more that hour", async () => {
    const db = testDb();
    await seed(db);
    const vic = await buildUser(db, { name: "Vicky Victim", email: "vicky@example.org", emailVerified: new Date() });
    const targets = (await db.select({ id: pages.id }).from(pages).limit(13)).map((p) => p.id);
    expect(targets).toHaveLength(13);
    let clock = new Date();
    const compose = async () => {
      await composeNotificationMails(db, clock, ORIGIN);
      return deliverDue(db, smtpTransport(sink.url, "Propagate <wiki@wiki.example>"), clock);
    };
    const mention = async (pageId: number, i: number) => {
      const posted = await createThread(db, { pageId, title: `Hello ${i}`, source: `What do you think, @Vicky_Victim? (${i})`, author: { guest: { name: `Guest ${i}` } }, meta: { ip: `198.51.100.${i + 1}`, secondsToFill: 30 } }); // the talk limit is per network: a guest with a few addresses
      expect(posted.status).toBe("visible");
    };
    for (let i = 0; i < 13; i++) await mention(targets[i]!, i);
    await compose();
    const mine = () => sink.mails.filter((m) => m.to === "vicky@example.org");
    expect(mine()).toHaveLength(11);
    expect(mine().at(-1)!.subject).toBe("3 new on 3 pages this hour");
    expect(mine().at(-1)!.text).toContain("More happened this hour than 10 mails would tell");
    clock = new Date(clock.getTime() + 10 * 60_000);
    for (let i = 10; i < 13; i++) await mention(targets[i]!, i + 13);
    await compose();
    expect(mine()).toHaveLength(11);
    clock = new Date(clock.getTime() + 51 * 60_000);
    await compose();
    expect(mine()).toHaveLength(14); // the hour has passed: one mail per page again
    expect(vic.id).toBeTruthy();
  });
});

describe("the outbox over time", () => {
  it("sent and given-up mails are deleted after thirty days; pending and recent ones stay", async () => {
    const db = testDb();
    const day = 24 * 60 * 60_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
    const row = (status: "sent" | "failed" | "pending", daysAgo: number) => ({ kind: "notification", toAddress: `${status}-${daysAgo}@example.org`, subject: "s", textBody: "t", htmlBody: "h", status, createdAt: at(daysAgo), nextAttemptAt: new Date(Date.now() + day) });
    await db.insert(mailOutbox).values([row("sent", 31), row("failed", 40), row("pending", 45), row("sent", 29)]);
    const report = await deliverDue(db, smtpTransport(sink.url, "Propagate <wiki@wiki.example>"), new Date());
    expect(report.pruned).toBe(2);
    expect((await db.select({ to: mailOutbox.toAddress }).from(mailOutbox)).map((r) => r.to).sort()).toEqual(["pending-45@example.org", "sent-29@example.org"]);
  });
});

describe("reset requests", () => {
  it("a request for a known address and one for an unknown address do the same work before the answer: one queued request each; the mail loop mails only the account", async () => {
    const db = testDb();
    await buildUser(db, { name: "Known Kate", email: "kate@example.org" });
    const blocked = await buildUser(db, { name: "Blocked Bo", email: "bo@example.org", blockedAt: new Date() });
    for (const email of ["kate@example.org", "nobody@example.org", "bo@example.org"]) {
      expect(await run(db, requestPasswordResetCommand, null, { email: email.toUpperCase() })).toEqual({ accepted: true });
    }
    const queued = await db.select({ kind: mailOutbox.kind, to: mailOutbox.toAddress, userId: mailOutbox.userId }).from(mailOutbox);
    expect(queued).toEqual(["kate@example.org", "nobody@example.org", "bo@example.org"].map((to) => ({ kind: "reset-request", to, userId: null })));
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(sink.mails.map((m) => [m.to, m.subject])).toEqual([["kate@example.org", "Reset your Propagate password"]]);
    expect((await db.select({ kind: mailOutbox.kind }).from(mailOutbox)).map((r) => r.kind)).toEqual(["password-reset"]);
    expect(blocked.id).toBeTruthy();
  });
});

describe("links and tokens", () => {
  it("a verification link clicked twice at once confirms once; the second click is told the link was used", async () => {
    const db = testDb();
    await buildUser(db, { name: "Someone Earlier" });
    await run(db, signUpCommand, null, { name: "Double Click", email: "double@example.org", password: "kettle orchard lantern 1" });
    await deliver();
    const token = new URL(linkIn(await sink.waitFor("double@example.org"), "/verify-email?token=")).searchParams.get("token")!;
    const outcomes = await Promise.allSettled([run(db, verifyEmailCommand, null, { token }), run(db, verifyEmailCommand, null, { token })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason.message)).toMatch(/already used/);
  });

  it("a sent reset or confirmation mail leaves no working link in the outbox (nor in a backup of it)", async () => {
    const db = testDb();
    await buildUser(db, { name: "Someone First" });
    await buildUser(db, { name: "Rhea Reset", email: "rhea@example.org" });
    await run(db, requestPasswordResetCommand, null, { email: "rhea@example.org" });
    await run(db, signUpCommand, null, { name: "Vic Verify", email: "vic@example.org", password: "kettle orchard lantern 1" });
    await resolvePasswordResetRequests(db, clock());
    const [pending] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "rhea@example.org"));
    expect(pending!.textBody).toContain("/reset-password?token="); // until it is sent, the outbox must hold it
    await deliver();
    for (const [to, path] of [["rhea@example.org", "/reset-password?token="], ["vic@example.org", "/verify-email?token="]] as const) {
      const token = new URL(linkIn(await sink.waitFor(to), path)).searchParams.get("token")!;
      const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, to));
      expect(row!.status).toBe("sent");
      expect(`${row!.textBody}${row!.htmlBody}`).not.toContain(token);
    }
  });

  it("an unsubscribe token is one user's: it does not work for another, cannot be shortened or re-cased, and two at once both succeed", async () => {
    const db = testDb();
    const ann = await buildUser(db, { name: "Ann Unsub" });
    const bob = await buildUser(db, { name: "Bob Unsub" });
    const token = unsubscribeToken(ann.id);
    const refused = async (user: string, t: string) => expect(run(db, unsubscribeCommand, null, { user, token: t })).rejects.toThrow("This unsubscribe link is not valid.");
    await refused(bob.id, token);
    await refused(ann.id, token.slice(0, -1));
    await refused(ann.id, token.toUpperCase());
    await refused(ann.id, "");
    await refused(ann.id.toUpperCase(), token);
    // A made-up user with a made-up token: the same answer as a real user with a wrong token (no way to tell ids apart).
    await refused("00000000-0000-0000-0000-000000000000", token);
    const both = await Promise.all([run(db, unsubscribeCommand, null, { user: ann.id, token }), run(db, unsubscribeCommand, null, { user: ann.id, token })]);
    expect(both).toEqual([{ unsubscribed: true }, { unsubscribed: true }]);
    const rows = await db.select({ id: users.id, mail: users.mailNotifications }).from(users);
    expect(rows.find((r) => r.id === ann.id)!.mail).toBe("never");
    expect(rows.find((r) => r.id === bob.id)!.mail).toBe("instant");
  });
});

describe("hostile text in mail", () => {
  it("an edit summary with a line break and a header cannot add headers or recipients; 20,000 of the widest character stays one bounded subject", async () => {
    const db = testDb();
    const editor = await buildUser(db, { name: "Hostile Hal" });
    const wendy = await buildUser(db, { name: "Wendy Watch", email: "wendy@example.org", emailVerified: new Date() });
    const page = await buildPage(db, "Injected page", conceptSource("Injected page"), editor);
    await db.insert(watches).values({ userId: wendy.id, pageId: page.page.id });
    const saved = await savePage(db, {
      title: "Injected page",
      content: conceptSource("Injected page", "Changed."),
      authorId: editor.id,
      summary: `x\r\nBcc: evil@example.net\r\nX-Injected: yes\n\n<b>${"\u{1F4A9}".repeat(20_000)}`,
      baseRevisionId: page.page.latestRevisionId,
    });
    expect(saved.status).toBe("saved");
    await deliver();
    expect(sink.mails.map((m) => m.to)).toEqual(["wendy@example.org"]);
    const mail = sink.mails[0]!;
    expect(mail.headers.has("bcc")).toBe(false);
    expect(mail.headers.has("x-injected")).toBe(false);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect([...mail.subject].length).toBeLessThanOrEqual(200);
    expect(mail.subject).not.toContain("\uFFFD"); // not cut inside a surrogate pair
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain("&lt;b&gt;");
  });
});
