import { beforeEach, describe, expect, it, vi } from "vitest";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { revisionText } from "@/lib/wiki/anchor-store";
import { getPageView } from "@/lib/wiki/page-view";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, differenceSource } from "../../support/factories";

// Count the CPU pool's "anchors" jobs a view asks for (the jobs themselves still run).
const jobs = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/lib/wiki/anchor-jobs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/wiki/anchor-jobs")>();
  return {
    ...actual,
    carryInWorker: (...args: Parameters<typeof actual.carryInWorker>) => {
      jobs.count++;
      return actual.carryInWorker(...args);
    },
  };
});

beforeEach(resetDatabase);

const THREADS = 24;
const sentence = (i: number) => `Passage number ${i} says that tool ${i} is chosen by people in group ${i}.`;
const BODY = Array.from({ length: THREADS }, (_, i) => sentence(i)).join("\n\n") + "\n";

describe("an edit that orphans many discussed passages", () => {
  it("traces them all to that edit in one shared bisection, not one per thread", async () => {
    const db = testDb();
    const user = await buildUser(db);
    const actor = actorOf(user);
    const created = await buildPage(db, "Passages", differenceSource("Passages", { sl: "Side.", body: BODY }), user);
    const text = (await revisionText(db, created.revision))!;
    for (let i = 0; i < THREADS; i++) {
      const exact = `tool ${i} is chosen by people`;
      const at = text.indexOf(exact);
      const target = {
        selector: [
          { type: "TextQuoteSelector", exact, prefix: text.slice(Math.max(0, at - 32), at), suffix: text.slice(at + exact.length, at + exact.length + 32) },
          { type: "TextPositionSelector", start: at, end: at + exact.length },
        ],
        revisionId: created.revision.id,
      };
      // One reader and address each: a single poster would be rate limited.
      await run(db, startThreadCommand, actorOf(await buildUser(db)), { title: "Passages", threadTitle: `Thread ${i}`, body: `About ${i}.`, target }, { ip: `10.0.0.${i + 1}`, via: "api" });
    }
    // 40 edits, the 13th of which rewrites every passage away.
    let body = BODY;
    // No view in between: the next view carries the passages across all of them at once.
    let removing = 0;
    let latest = created.revision.id;
    for (let n = 0; n < 40; n++) {
      if (n === 12) body = "Everything was rewritten from scratch.\n";
      body += `\nEdit ${n}.\n`;
      const saved = await run(db, savePageCommand, actor, { title: "Passages", content: differenceSource("Passages", { sl: "Side.", body }), summary: `edit ${n}`, baseRevisionId: latest });
      if (saved.status !== "saved") throw new Error("expected a save");
      latest = saved.revision.id;
      if (n === 12) removing = saved.revision.id;
    }
    jobs.count = 0;
    const view = (await getPageView(db, "Passages"))!;
    expect(view.anchors).toHaveLength(THREADS);
    for (const anchor of view.anchors) expect(anchor).toMatchObject({ anchorStatus: "orphaned", lostAtRevisionId: removing });
    // One comparison with the current revision, then a bisection of 40 revisions (about six probes) shared by all 24 passages.
    expect(jobs.count).toBeGreaterThan(0);
    expect(jobs.count).toBeLessThanOrEqual(8);
  });

  it("twelve concurrent first views after an edit carry the passages once", async () => {
    const db = testDb();
    const user = await buildUser(db);
    const created = await buildPage(db, "Passages", differenceSource("Passages", { sl: "Side.", body: BODY }), user);
    const text = (await revisionText(db, created.revision))!;
    const exact = "tool 3 is chosen by people";
    const at = text.indexOf(exact);
    const target = { selector: [{ type: "TextQuoteSelector", exact, prefix: text.slice(at - 32, at), suffix: text.slice(at + exact.length, at + exact.length + 32) }], revisionId: created.revision.id };
    await run(db, startThreadCommand, actorOf(user), { title: "Passages", threadTitle: "Three", body: "About three.", target });
    const saved = await run(db, savePageCommand, actorOf(user), { title: "Passages", content: differenceSource("Passages", { sl: "Side.", body: `Added first.\n\n${BODY}` }), summary: "edit", baseRevisionId: created.revision.id });
    if (saved.status !== "saved") throw new Error("expected a save");
    jobs.count = 0;
    const views = await Promise.all(Array.from({ length: 12 }, () => getPageView(db, "Passages")));
    for (const view of views) expect(view!.anchors[0]).toMatchObject({ anchorStatus: "anchored" });
    expect(jobs.count).toBe(1);
  });
});
