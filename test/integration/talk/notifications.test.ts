import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/policy";
import { seed } from "@/lib/seed";
import { moderatePost } from "@/lib/talk/moderation";
import { listNotifications, mentionedNames, subscribe, unreadCount } from "@/lib/talk/notifications";
import { createThread, replyToThread } from "@/lib/talk/post-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";

let n = 0;
const meta = () => ({ ip: `203.0.113.${++n % 250}`, secondsToFill: 30 });
const actorOf = (u: { id: string; name: string; role: string }): NonNullable<Actor> => ({ id: u.id, name: u.name, role: u.role as "editor", blocked: false });

beforeEach(async () => {
  await resetDatabase();
  await seed(testDb());
});

describe("subscriptions and notifications", () => {
  it("finds @mentions", () => {
    expect(mentionedNames("Thanks @Ada and (@Bob_Smith), not me@example.org.")).toEqual([["Ada"], ["Bob_Smith", "Bob Smith"]]);
    expect(mentionedNames("Ask @J.R.")).toEqual([["J.R.", "J.R"]]);
  });

  it("a thread's starter follows it and is told of replies; the replier is not told of their own post", async () => {
    const db = testDb();
    const [ann, ben] = [await buildUser(db, { name: "Ann" }), await buildUser(db, { name: "Ben" })];
    const pageId = (await getPageBySlug(db, "Adoption"))!.id;
    const t = await createThread(db, { pageId, title: "Q", source: "A question about adoption.", author: { actor: actorOf(ann) }, meta: meta() });
    await replyToThread(db, { pageId, threadId: t.thread.id, source: "An answer.", author: { actor: actorOf(ben) }, meta: meta() });
    expect(await unreadCount(db, ann.id)).toBe(1);
    expect(await unreadCount(db, ben.id)).toBe(0);
    const items = await listNotifications(db, ann.id);
    expect(items.map((i) => [i.kind, i.by])).toEqual([["reply", "Ben"]]);
    expect(await unreadCount(db, ann.id)).toBe(0);
  });

  it("page followers hear of new threads, and mentioned users are notified", async () => {
    const db = testDb();
    const [ann, ben, cy] = [await buildUser(db, { name: "Ann" }), await buildUser(db, { name: "Ben" }), await buildUser(db, { name: "Cy" })];
    const pageId = (await getPageBySlug(db, "Adoption"))!.id;
    await subscribe(db, ann.id, pageId, null);
    await createThread(db, { pageId, title: "New", source: "What do you think, @Cy?", author: { actor: actorOf(ben) }, meta: meta() });
    expect(await unreadCount(db, ann.id)).toBe(1);
    expect((await listNotifications(db, cy.id)).map((i) => i.kind)).toEqual(["mention"]);
  });

  it("a held post notifies no one until a moderator approves it", async () => {
    const db = testDb();
    const ann = await buildUser(db, { name: "Ann" });
    const mod = await buildUser(db, { role: "moderator" });
    const pageId = (await getPageBySlug(db, "Adoption"))!.id;
    const t = await createThread(db, { pageId, title: "Q", source: "A question about adoption.", author: { actor: actorOf(ann) }, meta: meta() });
    const held = await replyToThread(db, { pageId, threadId: t.thread.id, source: "Cheap soma without rx", author: { guest: { name: "x" } }, meta: meta() });
    expect(held.status).toBe("held");
    expect(await unreadCount(db, ann.id)).toBe(0);
    await moderatePost(db, { ...actorOf(mod), role: "moderator" }, held.post.id, "approve");
    expect(await unreadCount(db, ann.id)).toBe(1);
  });

  it("@Ann_Lee reaches Ann_Lee when that name exists, and Ann Lee otherwise", async () => {
    const db = testDb();
    const [underscored, spaced, ben] = [await buildUser(db, { name: "Ann_Lee" }), await buildUser(db, { name: "Ann Lee" }), await buildUser(db, { name: "Ben" })];
    const pageId = (await getPageBySlug(db, "Adoption"))!.id;
    await createThread(db, { pageId, title: "Hi", source: "Over to you, @Ann_Lee.", author: { actor: actorOf(ben) }, meta: meta() });
    expect(await unreadCount(db, underscored.id)).toBe(1);
    expect(await unreadCount(db, spaced.id)).toBe(0);
    const cy = await buildUser(db, { name: "Cy Young" });
    await createThread(db, { pageId, title: "Hi again", source: "And @Cy_Young too.", author: { actor: actorOf(ben) }, meta: meta() });
    expect(await unreadCount(db, cy.id)).toBe(1);
  });

  it("the unread count and the list agree: a hidden reply counts for neither", async () => {
    const db = testDb();
    const [ann, ben] = [await buildUser(db, { name: "Ann" }), await buildUser(db, { name: "Ben" })];
    const mod = await buildUser(db, { role: "moderator" });
    const pageId = (await getPageBySlug(db, "Adoption"))!.id;
    const t = await createThread(db, { pageId, title: "Q", source: "A question about adoption.", author: { actor: actorOf(ann) }, meta: meta() });
    const reply = await replyToThread(db, { pageId, threadId: t.thread.id, source: "An answer.", author: { actor: actorOf(ben) }, meta: meta() });
    expect(await unreadCount(db, ann.id)).toBe(1);
    await moderatePost(db, { ...actorOf(mod), role: "moderator" }, reply.post.id, "hide");
    expect(await unreadCount(db, ann.id)).toBe(0);
    expect(await listNotifications(db, ann.id)).toEqual([]);
  });
});
