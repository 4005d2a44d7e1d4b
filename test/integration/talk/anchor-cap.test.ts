import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { talkAnchors, talkPosts, talkThreads, users, type User } from "@/lib/db/schema";
import { quoteAt } from "@/lib/wiki/anchor";
import { MAX_ANCHORS_PER_AUTHOR, MAX_ANCHORS_PER_PAGE, quotesOf, revisionText } from "@/lib/wiki/anchor-store";
import { getPageView } from "@/lib/wiki/page-view";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, differenceSource } from "../../support/factories";

beforeEach(resetDatabase);

const sentence = (i: number) => `Sentence ${i} says that tool ${i} suits group ${i}.`;
const BODY = Array.from({ length: 60 }, (_, i) => sentence(i)).join("\n\n") + "\n";

describe("the cap on a page's marked passages", () => {
  it("is fair: a spammer opening more threads than the cap keeps at most their share, and held threads and blocked authors never count", async () => {
    const db = testDb();
    const [member, spammer, blocked] = [await buildUser(db), await buildUser(db), await buildUser(db)];
    const created = await buildPage(db, "Capped", differenceSource("Capped", { sl: "Side.", body: BODY }), member);
    const pageId = created.page.id;
    const revisionId = created.revision.id;
    const text = (await revisionText(db, created.revision))!;
    const passage = (i: number) => {
      const start = text.indexOf(sentence(i % 60));
      return { ...quoteAt(text, start, start + 20), start, end: start + 20 };
    };
    // Threads written straight to the tables, as many posts as the rate limits would let one account make in an hour.
    const open = async (author: User | null, count: number, status: "visible" | "held" = "visible") => {
      const threads = await db
        .insert(talkThreads)
        .values(Array.from({ length: count }, (_, i) => ({ pageId, title: `Thread ${i} by ${author?.name ?? "a guest"}`, createdBy: author?.id ?? null })))
        .returning({ id: talkThreads.id });
      await db.insert(talkPosts).values(
        threads.map((t) => ({ threadId: t.id, authorId: author?.id ?? null, guestName: author ? null : "Guest", bodySource: "About this.", bodyHtml: "<p>About this.</p>", status, ipHash: "ip-of-the-guest" })),
      );
      await db.insert(talkAnchors).values(threads.map((t, i) => ({ threadId: t.id, revisionId, ...passage(i) })));
      return threads.map((t) => t.id);
    };

    const early = await run(db, startThreadCommand, actorOf(member), {
      title: "Capped",
      threadTitle: "An early question",
      body: "Before the flood.",
      target: { selector: [{ type: "TextQuoteSelector", ...quoteAt(text, passage(1).start, passage(1).end) }], revisionId },
    });
    const spam = await open(spammer, MAX_ANCHORS_PER_PAGE + 1);
    const ofBlocked = await open(blocked, 5);
    await db.update(users).set({ blockedAt: sql`now()` }).where(eq(users.id, blocked.id));
    const held = await open(null, 3, "held");
    const late = await open(member, 3);

    const view = (await getPageView(db, "Capped"))!;
    const shown = new Set(view.anchors.map((a) => a.threadId));
    // Everyone else's threads keep their marks, the newest included.
    for (const id of [early.threadId, ...late]) expect(shown.has(id), `thread ${id}`).toBe(true);
    // The spammer's first threads up to their share, no more.
    expect(spam.filter((id) => shown.has(id))).toEqual(spam.slice(0, MAX_ANCHORS_PER_AUTHOR));
    for (const id of [...ofBlocked, ...held]) expect(shown.has(id), `thread ${id}`).toBe(false);
    expect(view.anchors).toHaveLength(1 + MAX_ANCHORS_PER_AUTHOR + 3);
    for (const anchor of view.anchors) expect(anchor.anchorStatus).toBe("anchored");
    // The rest of the spammer's threads are counted as not marked (the side panel says how many, and where they are listed).
    expect(view.unmarkedAnchors).toBe(MAX_ANCHORS_PER_PAGE + 1 - MAX_ANCHORS_PER_AUTHOR);
    // The talk page still shows the quote of a thread the page does not mark (past the caps, or held).
    const quotes = await quotesOf(db, [spam[MAX_ANCHORS_PER_AUTHOR]!, held[0]!, early.threadId + 100_000]);
    expect(quotes).toEqual(
      new Map([
        [spam[MAX_ANCHORS_PER_AUTHOR]!, passage(MAX_ANCHORS_PER_AUTHOR).exact],
        [held[0]!, passage(0).exact],
      ]),
    );
  });

  it("counts a guest's threads by their network, as one author", async () => {
    const db = testDb();
    const created = await buildPage(db, "Guests", differenceSource("Guests", { sl: "Side.", body: BODY }));
    const text = (await revisionText(db, created.revision))!;
    const threads = await db
      .insert(talkThreads)
      .values(Array.from({ length: MAX_ANCHORS_PER_AUTHOR + 5 }, (_, i) => ({ pageId: created.page.id, title: `Guest thread ${i}`, createdBy: null })))
      .returning({ id: talkThreads.id });
    await db.insert(talkPosts).values(threads.map((t, i) => ({ threadId: t.id, guestName: `Name ${i}`, bodySource: "Hi.", bodyHtml: "<p>Hi.</p>", ipHash: "one-network" })));
    await db.insert(talkAnchors).values(threads.map((t, i) => ({ threadId: t.id, revisionId: created.revision.id, ...quoteAt(text, i * 10, i * 10 + 8), start: i * 10, end: i * 10 + 8 })));
    const view = (await getPageView(db, "Guests"))!;
    expect(view.anchors).toHaveLength(MAX_ANCHORS_PER_AUTHOR);
    expect(view.unmarkedAnchors).toBe(5);
  });
});
