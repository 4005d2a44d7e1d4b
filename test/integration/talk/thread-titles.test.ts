import { beforeEach, describe, expect, it } from "vitest";
import { moderatePostCommand } from "@/lib/commands/talk/moderate-post";
import { replyToThreadCommand } from "@/lib/commands/talk/reply-to-thread";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { changeFeed } from "@/lib/feeds/change-feed";
import { seed } from "@/lib/seed";
import { issueFormToken } from "@/lib/talk/form-token";
import { listNotifications, subscribe, unreadCount } from "@/lib/talk/notifications";
import { hashToken } from "@/lib/talk/post-store";
import { countThreads, getThread, listThreads } from "@/lib/talk/talk-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { listRecentChanges } from "@/lib/wiki/recent-changes";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildUser } from "../../support/factories";

const SLUG = "Nursery_and_garden";
const SPAM_TITLE = "Online casino free spins and cheap viagra from our online pharmacy";
const cookie = "spammer-cookie-aaaaaaaaaaaaaaaaaaaaaaaaa";
let ip = 0;
/** What a guest's browser sends: a form opened `seconds` ago (token bound to `issuedTo`), from the guest cookie `guestToken`. */
const asGuest = (guestToken: string, issuedTo = guestToken, seconds = 30) => ({
  input: { guestName: "Friendly visitor", website: "", formToken: issueFormToken({ guestToken: issuedTo }, Date.now() - seconds * 1000) },
  overrides: { guestToken, ip: `203.0.113.${++ip % 250}` },
});

beforeEach(async () => {
  await resetDatabase();
  await seed(testDb());
});

async function pageId() {
  return (await getPageBySlug(testDb(), SLUG))!.id;
}

/** Everything a reader without a session is shown that carries thread titles. */
async function publicTitles(threadId: number): Promise<string> {
  const db = testDb();
  const id = await pageId();
  const threads = await listThreads(db, id);
  const changes = await listRecentChanges(db, { types: ["talk"], limit: 100 });
  const pageChanges = await listRecentChanges(db, { pageId: id, types: ["talk"], limit: 50 });
  const feed = await changeFeed(db, pageChanges, { id: "urn:x", title: "t", link: "http://wiki.example/", selfLink: "http://wiki.example/f", origin: "http://wiki.example" });
  const single = await getThread(db, id, threadId);
  return JSON.stringify({ threads, changes, single }) + feed;
}

describe("a thread's title is shown only when its first post is visible", () => {
  it("a spammer's held thread stays unlisted everywhere after three harmless replies, and after the first post is marked spam", async () => {
    const db = testDb();
    const id = await pageId();
    const follower = await buildUser(db);
    await subscribe(db, follower.id, id, null);
    const before = await countThreads(db, id);

    const g = asGuest(cookie);
    const started = await run(db, startThreadCommand, null, { title: SLUG, threadTitle: SPAM_TITLE, body: "Hello, a question for the gardeners here.", ...g.input }, g.overrides);
    expect(started.status).toBe("held");
    for (const body of ["Thanks for the thoughtful page.", "I agree that context matters in a garden.", "Nice point about cuttings taking root."]) {
      const r = asGuest(cookie);
      const reply = await run(db, replyToThreadCommand, null, { title: SLUG, threadId: started.threadId, body, ...r.input }, r.overrides);
      expect(reply.status).toBe("visible");
    }

    expect(await publicTitles(started.threadId)).not.toContain(SPAM_TITLE);
    expect(await publicTitles(started.threadId)).not.toContain("I agree that context matters");
    expect(await countThreads(db, id)).toBe(before);
    expect(await getThread(db, id, started.threadId)).toBeNull();
    // The follower was notified of the replies, but is shown none of them, nor the title.
    expect(JSON.stringify(await listNotifications(db, follower.id))).not.toContain(SPAM_TITLE);
    expect(await unreadCount(db, follower.id)).toBe(0);
    // Its author and moderators still see the thread and every post in it.
    const own = await listThreads(db, id, { guestTokenHash: hashToken(cookie) });
    expect(own.find((t) => t.id === started.threadId)?.posts).toHaveLength(4);
    const moderated = await listThreads(db, id, { moderator: true });
    expect(moderated.find((t) => t.id === started.threadId)?.title).toBe(SPAM_TITLE);

    const moderator = await buildUser(db, { role: "moderator" });
    await run(db, moderatePostCommand, actorOf(moderator), { postId: started.postId, action: "spam" });
    expect(await publicTitles(started.threadId)).not.toContain(SPAM_TITLE);
    expect(await countThreads(db, id)).toBe(before);
    expect(await unreadCount(db, follower.id)).toBe(0);
  });

  it("a thread whose first post is approved shows its title and replies again", async () => {
    const db = testDb();
    const id = await pageId();
    const g = asGuest(cookie);
    const started = await run(db, startThreadCommand, null, { title: SLUG, threadTitle: "A question about cuttings", body: "Cheap s0ma without rx http://pills.example http://b.example", ...g.input }, g.overrides);
    expect(started.status).toBe("held");
    const r = asGuest(cookie);
    await run(db, replyToThreadCommand, null, { title: SLUG, threadId: started.threadId, body: "A harmless follow-up.", ...r.input }, r.overrides);
    expect(await publicTitles(started.threadId)).not.toContain("A question about cuttings");
    const moderator = await buildUser(db, { role: "moderator" });
    await run(db, moderatePostCommand, actorOf(moderator), { postId: started.postId, action: "approve" });
    expect(await publicTitles(started.threadId)).toContain("A question about cuttings");
    expect((await getThread(db, id, started.threadId))?.posts).toHaveLength(2);
  });

  it("a visible thread is unlisted, replies and all, once a moderator hides its first post", async () => {
    const db = testDb();
    const id = await pageId();
    const member = await buildUser(db);
    const started = await run(db, startThreadCommand, actorOf(member), { title: SLUG, threadTitle: "Gardens and nurseries", body: "What grows where?" });
    expect(started.status).toBe("visible");
    const r = asGuest("another-guest-cookie-bbbbbbbbbbbbbbbbbb");
    await run(db, replyToThreadCommand, null, { title: SLUG, threadId: started.threadId, body: "Everything grows in the garden.", ...r.input }, r.overrides);
    expect(await publicTitles(started.threadId)).toContain("Gardens and nurseries");
    const moderator = await buildUser(db, { role: "moderator" });
    await run(db, moderatePostCommand, actorOf(moderator), { postId: started.postId, action: "hide" });
    expect(await publicTitles(started.threadId)).not.toContain("Gardens and nurseries");
    expect(await publicTitles(started.threadId)).not.toContain("Everything grows in the garden");
    expect(await getThread(db, id, started.threadId)).toBeNull();
  });
});

describe("form tokens are bound to the guest cookie or user they were issued to", () => {
  it("publishes a guest's post when the token was issued to the same cookie a while ago", async () => {
    const g = asGuest(cookie);
    const result = await run(testDb(), startThreadCommand, null, { title: SLUG, threadTitle: "On gardens", body: "A considered thought about gardens.", ...g.input }, g.overrides);
    expect(result.status).toBe("visible");
  });

  it("holds a guest's post whose token was issued to another cookie, as filled in no time", async () => {
    const g = asGuest(cookie, "someone-elses-cookie-cccccccccccccccccc");
    const result = await run(testDb(), startThreadCommand, null, { title: SLUG, threadTitle: "On gardens", body: "A considered thought about gardens.", ...g.input }, g.overrides);
    expect(result.status).toBe("held");
    expect(result.reasons.join(" ")).toMatch(/filled too fast \(0\.0 s\)/);
  });

  it("holds a guest's post with a token older than two hours, or one issued to a member", async () => {
    const db = testDb();
    const old = asGuest(cookie, cookie, 2 * 3600 + 60);
    expect((await run(db, startThreadCommand, null, { title: SLUG, threadTitle: "Old form", body: "A considered thought about gardens.", ...old.input }, old.overrides)).status).toBe("held");
    const member = await buildUser(db);
    const stolen = { ...asGuest(cookie), input: { guestName: "G", website: "", formToken: issueFormToken({ userId: member.id }, Date.now() - 30_000) } };
    expect((await run(db, startThreadCommand, null, { title: SLUG, threadTitle: "Stolen form", body: "A considered thought about gardens.", ...stolen.input }, stolen.overrides)).status).toBe("held");
  });

  it("holds a guest's post without a cookie, whatever token it carries", async () => {
    const g = asGuest(cookie);
    const result = await run(testDb(), startThreadCommand, null, { title: SLUG, threadTitle: "No cookie", body: "A considered thought about gardens.", ...g.input }, { ip: "203.0.113.251" });
    expect(result.status).toBe("held");
  });
});
