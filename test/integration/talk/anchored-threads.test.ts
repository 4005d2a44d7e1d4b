import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { rendered, revisions, talkAnchorResolutions } from "@/lib/db/schema";
import { consume, limits } from "@/lib/rate-limit";
import { AppError } from "@/lib/errors";
import { carryDraft } from "@/lib/talk/carry";
import { currentPageAnchors, orphanedBetween, revisionText } from "@/lib/wiki/anchor-store";
import { getPageView } from "@/lib/wiki/page-view";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, differenceSource } from "../../support/factories";

beforeEach(resetDatabase);

const BODY = [
  "## Where it happens",
  "",
  "Knowledge management stores what experts know in a repository.",
  "",
  "Social learning happens in conversation between peers, in the open.",
  "",
  "The nursery raises seedlings; the garden lets them grow wild.",
  "",
].join("\n");
const PASSAGE = "happens in conversation between peers";

async function setUp() {
  const db = testDb();
  const user = await buildUser(db);
  const created = await buildPage(db, "Anchored", differenceSource("Anchored", { sl: "Many tools people choose.", body: BODY }), user);
  const text = (await revisionText(db, created.revision))!;
  return { db, user, actor: actorOf(user), revision: created.revision, text };
}

function target(text: string, revisionId: number, exact: string, occurrence = text.indexOf(exact)) {
  return {
    selector: [
      { type: "TextQuoteSelector", exact, prefix: text.slice(Math.max(0, occurrence - 32), occurrence), suffix: text.slice(occurrence + exact.length, occurrence + exact.length + 32) },
      { type: "TextPositionSelector", start: occurrence, end: occurrence + exact.length },
    ],
    revisionId,
  };
}

async function edit(db: ReturnType<typeof testDb>, actor: ReturnType<typeof actorOf>, body: string, sl = "Many tools people choose.") {
  const view = await getPageView(db, "Anchored");
  return run(db, savePageCommand, actor, { title: "Anchored", content: differenceSource("Anchored", { sl, body }), summary: "edit", baseRevisionId: view!.revision.id });
}

describe("threads anchored to a passage", () => {
  it("stores the W3C target, and follows the passage through edits: elsewhere, rewritten, deleted", async () => {
    const { db, actor, revision, text } = await setUp();
    expect(text.startsWith("A mandated tool.\n\nMany tools people choose.\n\n")).toBe(true);
    const started = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Only peers?", body: "Not only peers.", target: target(text, revision.id, PASSAGE) });
    let [anchor] = await currentPageAnchors(db, { id: (await getPageView(db, "Anchored"))!.page.id, latestRevisionId: revision.id });
    expect(anchor).toMatchObject({ threadId: started.threadId, anchorStatus: "anchored", quote: PASSAGE });
    expect(anchor!.target.selector[0]).toMatchObject({ type: "TextQuoteSelector", exact: PASSAGE });

    // An edit elsewhere: still anchored, at the passage's new position.
    await edit(db, actor, BODY.replace("Knowledge management stores", "Traditional knowledge management stores"));
    let view = (await getPageView(db, "Anchored"))!;
    const moved = (await revisionText(db, view.revision))!;
    expect(view.anchors[0]).toMatchObject({ anchorStatus: "anchored" });
    const { start, end } = view.anchors[0]!.target.selector[1];
    expect(moved.slice(start, end)).toBe(PASSAGE);
    expect(start).toBe(text.indexOf(PASSAGE) + "Traditional k".length - 1);

    // A light rewrite inside the passage: fuzzy, over the rewritten words.
    await edit(db, actor, BODY.replace(PASSAGE, "happens in conversations between peers"));
    view = (await getPageView(db, "Anchored"))!;
    const rewritten = (await revisionText(db, view.revision))!;
    expect(view.anchors[0]).toMatchObject({ anchorStatus: "fuzzy" });
    const fuzzy = view.anchors[0]!.target.selector[1];
    expect(rewritten.slice(fuzzy.start, fuzzy.end)).toBe("happens in conversations between peers");

    // The sentence is deleted: orphaned, with the revision that removed it.
    const deleted = await edit(db, actor, BODY.replace("Social learning happens in conversation between peers, in the open.\n\n", ""));
    view = (await getPageView(db, "Anchored"))!;
    expect(view.anchors[0]).toMatchObject({ anchorStatus: "orphaned", quote: PASSAGE });
    if (deleted.status !== "saved") throw new Error("expected a save");
    expect(view.anchors[0]!.lostAtRevisionId).toBe(deleted.revision.id);
    // The orphan keeps its first target; the diff of that edit names it.
    expect(view.anchors[0]!.target.revisionId).toBe(revision.id);
    expect(await orphanedBetween(db, view.page.id, deleted.revision.id - 1, deleted.revision.id)).toEqual([
      { threadId: started.threadId, threadTitle: "Only peers?", quote: PASSAGE, lostAtRevisionId: deleted.revision.id },
    ]);
    [anchor] = await currentPageAnchors(db, view.page);
    expect(anchor?.anchorStatus).toBe("orphaned");
    // One resolution row per thread is kept, whatever the number of revisions.
    const rows = await db.select().from(talkAnchorResolutions);
    expect(rows.map((r) => [r.threadId, r.revisionId])).toEqual([[started.threadId, deleted.revision.id]]);
  });

  it("traces an orphan to the edit that removed it when several edits came between views", async () => {
    const { db, actor, revision, text } = await setUp();
    await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Seedlings", body: "About the nursery.", target: target(text, revision.id, "raises seedlings") });
    await edit(db, actor, BODY + "\nOne more line.\n");
    const removing = await edit(db, actor, (BODY + "\nOne more line.\n").replace("The nursery raises seedlings; the garden lets them grow wild.\n", ""));
    await edit(db, actor, BODY.replace("The nursery raises seedlings; the garden lets them grow wild.\n", "") + "\nLast line.\n");
    const view = (await getPageView(db, "Anchored"))!;
    if (removing.status !== "saved") throw new Error("expected a save");
    expect(view.anchors[0]).toMatchObject({ anchorStatus: "orphaned", lostAtRevisionId: removing.revision.id });
  });

  it("anchors to the TKM or SL side too, and a change of that side re-anchors it", async () => {
    const { db, actor, revision, text } = await setUp();
    await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Choice", body: "Do people choose?", target: target(text, revision.id, "tools people choose") });
    await edit(db, actor, BODY, "Many tools, which people choose.");
    const view = (await getPageView(db, "Anchored"))!;
    expect(view.anchors[0]?.anchorStatus).toBe("orphaned");
    await edit(db, actor, BODY, "Many tools people choose.");
    // Its exact words came back (a revert): anchored again.
    expect((await getPageView(db, "Anchored"))!.anchors[0]?.anchorStatus).toBe("anchored");
  });

  it("refuses a quote that is not on the revision, a revision of another page, and a malformed target, writing nothing", async () => {
    const { db, actor, revision, text } = await setUp();
    const other = await buildPage(db, "Elsewhere", differenceSource("Elsewhere"));
    const attempts = [
      { ...target(text, revision.id, PASSAGE), selector: [{ type: "TextQuoteSelector", exact: "words never written here", prefix: "", suffix: "" }] },
      target(text, other.revision.id, PASSAGE),
      { selector: [{ type: "TextPositionSelector", start: 1, end: 5 }], revisionId: revision.id },
      { selector: [{ type: "TextQuoteSelector", exact: "x\u0000y" }], revisionId: revision.id },
      { selector: [{ type: "TextQuoteSelector", exact: PASSAGE }, { type: "TextPositionSelector", start: 5, end: 6 }], revisionId: revision.id },
      { selector: [{ type: "TextQuoteSelector", exact: "y".repeat(2001) }], revisionId: revision.id },
    ];
    for (const bad of attempts) {
      const failure = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Bad", body: "Bad.", target: bad }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).status).toBe(400);
    }
    const view = (await getPageView(db, "Anchored"))!;
    expect(view.threadCount).toBe(0);
    expect(view.anchors).toEqual([]);
  });

  it("consumes the rate limit before it renders the revision a new thread's passage names (a poster past the limit renders nothing)", async () => {
    const { db, actor, user } = await setUp();
    // A revision nobody has viewed: its render is not in the parser cache yet.
    const saved = await edit(db, actor, `${BODY}\nAn old line.\n`);
    if (saved.status !== "saved") throw new Error("expected a save");
    // Saved over without a view in between (a view renders the latest revision).
    await run(db, savePageCommand, actor, { title: "Anchored", content: differenceSource("Anchored", { sl: "Many tools people choose.", body: BODY }), summary: "edit", baseRevisionId: saved.revision.id });
    const [old] = await db.select().from(revisions).where(eq(revisions.id, saved.revision.id));
    const oldText = `A mandated tool.\n\nMany tools people choose.\n\n${PASSAGE}`;
    expect(await db.select().from(rendered).where(eq(rendered.revisionId, old!.id))).toEqual([]);
    for (let i = 0; i < limits.talkPostUser.points; i++) await consume(db, "talkPostUser", user.id);
    const failure = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Late", body: "Too fast.", target: target(oldText, old!.id, PASSAGE) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).status).toBe(429);
    // Refused before the passage was checked: the old revision was not rendered for it.
    expect(await db.select().from(rendered).where(eq(rendered.revisionId, old!.id))).toEqual([]);
    // A revision of another page is refused before the limit is touched (one query), as before.
    const other = await buildPage(db, "Elsewhere", differenceSource("Elsewhere"));
    const foreign = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Foreign", body: "No.", target: target(oldText, other.revision.id, PASSAGE) }).catch((e: unknown) => e);
    expect((foreign as AppError).status).toBe(400);
  });

  it("an old revision marks the passages of threads started on it, where they were chosen, and no others", async () => {
    const { db, actor, revision, text } = await setUp();
    const first = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Peers", body: "Only peers?", target: target(text, revision.id, PASSAGE) });
    // The passage is then deleted, and another thread starts on the new revision.
    const deleted = await edit(db, actor, BODY.replace("Social learning happens in conversation between peers, in the open.\n\n", ""));
    if (deleted.status !== "saved") throw new Error("expected a save");
    const newer = (await revisionText(db, (await getPageView(db, "Anchored"))!.revision))!;
    const second = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Seedlings", body: "Seeds?", target: target(newer, deleted.revision.id, "raises seedlings") });

    const old = (await getPageView(db, "Anchored", revision.id))!;
    expect(old.isLatest).toBe(false);
    expect(old.anchors).toEqual([expect.objectContaining({ threadId: first.threadId, anchorStatus: "anchored", quote: PASSAGE })]);
    const { start, end } = old.anchors[0]!.target.selector[1];
    expect(text.slice(start, end)).toBe(PASSAGE);
    expect(old.anchors[0]!.target.revisionId).toBe(revision.id);
    // The current version: the first is orphaned there, the second marked.
    const current = (await getPageView(db, "Anchored"))!;
    expect(current.anchors.map((a) => [a.threadId, a.anchorStatus])).toEqual([
      [first.threadId, "orphaned"],
      [second.threadId, "anchored"],
    ]);
  });

  it("finds a selection whose offsets are slightly off by its quote and context", async () => {
    const { db, actor, revision, text } = await setUp();
    const sent = target(text, revision.id, PASSAGE);
    sent.selector[1] = { type: "TextPositionSelector", start: (sent.selector[1] as { start: number }).start + 2, end: (sent.selector[1] as { end: number }).end + 2 };
    await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Off by two", body: "Hm.", target: sent });
    const view = (await getPageView(db, "Anchored"))!;
    expect(view.anchors[0]?.target.selector[1]).toMatchObject({ start: text.indexOf(PASSAGE), end: text.indexOf(PASSAGE) + PASSAGE.length });
  });

  it("carrying a post from a thread about a passage cites the passage", async () => {
    const { db, actor, revision, text } = await setUp();
    const started = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Only peers?", body: "Mentors count too.", target: target(text, revision.id, PASSAGE) });
    const draft = await carryDraft(db, "Anchored", started.postId);
    expect(draft.snippet).toContain(`source="Discussion: Only peers? about “${PASSAGE}”"`);
    expect(draft.summary).toBe(`Carried in a point from the discussion "Only peers?" about “${PASSAGE}” (post ${started.postId})`);
  });

  it("cuts a long cited passage between characters, never inside a surrogate pair (a field would refuse the draft)", async () => {
    const { db, actor } = await setUp();
    const long = `${"word ".repeat(15)}and🌱seedlings🌱grow in the nursery beside the wild garden`;
    await edit(db, actor, `${BODY}\n${long}\n`);
    const view = (await getPageView(db, "Anchored"))!;
    const text = (await revisionText(db, view.revision))!;
    const started = await run(db, startThreadCommand, actor, { title: "Anchored", threadTitle: "Plants", body: "Emoji.", target: target(text, view.revision.id, long) });
    const draft = await carryDraft(db, "Anchored", started.postId);
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    expect(draft.summary).toContain("🌱…”");
    expect(draft.summary).not.toMatch(lone);
    expect(draft.snippet).not.toMatch(lone);
  });
});
