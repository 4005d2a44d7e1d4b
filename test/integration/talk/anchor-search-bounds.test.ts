import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { talkAnchorResolutions } from "@/lib/db/schema";
import { revisionText } from "@/lib/wiki/anchor-store";
import { getPageView } from "@/lib/wiki/page-view";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, differenceSource } from "../../support/factories";

// The CPU pool's "anchors" jobs, counted; `timeOut` makes them end as a job past its deadline does (other jobs run as usual).
const jobs = vi.hoisted(() => ({ count: 0, timeOut: false }));
vi.mock("@/lib/workers/pool", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/workers/pool")>();
  return {
    ...actual,
    runJob: (...args: Parameters<typeof actual.runJob>) => {
      if ((args[1] as { op: string }).op !== "anchors") return actual.runJob(...args);
      jobs.count++;
      return jobs.timeOut ? Promise.resolve({ ok: false, kind: "timeout", message: "took longer than 5 s and was stopped" }) : actual.runJob(...args);
    },
  };
});

beforeEach(() => {
  jobs.count = 0;
  jobs.timeOut = false;
  return resetDatabase();
});

const PASSAGE = "happens in conversation between peers";
const BODY = `Knowledge management stores what experts know.\n\nSocial learning ${PASSAGE}, in the open.\n\nThe nursery raises seedlings.\n`;

async function setUp() {
  const db = testDb();
  const user = await buildUser(db);
  const actor = actorOf(user);
  const created = await buildPage(db, "Bounded", differenceSource("Bounded", { sl: "Side.", body: BODY }), user);
  const text = (await revisionText(db, created.revision))!;
  const at = text.indexOf(PASSAGE);
  const target = {
    selector: [
      { type: "TextQuoteSelector", exact: PASSAGE, prefix: text.slice(at - 32, at), suffix: text.slice(at + PASSAGE.length, at + PASSAGE.length + 32) },
      { type: "TextPositionSelector", start: at, end: at + PASSAGE.length },
    ],
    revisionId: created.revision.id,
  };
  const thread = await run(db, startThreadCommand, actor, { title: "Bounded", threadTitle: "Peers", body: "Only peers?", target });
  let latest = created.revision.id;
  const edit = async (body: string) => {
    const saved = await run(db, savePageCommand, actor, { title: "Bounded", content: differenceSource("Bounded", { sl: "Side.", body }), summary: "edit", baseRevisionId: latest });
    if (saved.status !== "saved") throw new Error("expected a save");
    latest = saved.revision.id;
    return latest;
  };
  return { db, threadId: thread.threadId, edit };
}

describe("a carrying job that gives up", () => {
  it("is stored as unplaced for that revision (later views do not run it again), and the next revision tries again from where the thread began", async () => {
    const { db, threadId, edit } = await setUp();
    const second = await edit(`Intro.\n\n${BODY}`);
    jobs.timeOut = true;
    const first = (await getPageView(db, "Bounded"))!;
    expect(first.anchors[0]).toMatchObject({ threadId, anchorStatus: "orphaned", unplaced: true, lostAtRevisionId: null });
    expect(jobs.count).toBe(1);
    const [row] = await db.select().from(talkAnchorResolutions).where(eq(talkAnchorResolutions.threadId, threadId));
    expect(row).toMatchObject({ revisionId: second, status: "unplaced", start: null, end: null });

    // Cache misses of the same revision read the stored outcome: no job, no search.
    for (let i = 0; i < 3; i++) expect((await getPageView(db, "Bounded"))!.anchors[0]).toMatchObject({ anchorStatus: "orphaned", unplaced: true });
    expect(jobs.count).toBe(1);

    // The next revision is carried from the thread's own revision, and the passage is found again.
    jobs.timeOut = false;
    await edit(`Intro.\n\n${BODY}\nMore.\n`);
    const view = (await getPageView(db, "Bounded"))!;
    expect(jobs.count).toBe(2);
    expect(view.anchors[0]).toMatchObject({ anchorStatus: "anchored", unplaced: false });
    const text = (await revisionText(db, view.revision))!;
    const { start, end } = view.anchors[0]!.target.selector[1];
    expect(text.slice(start, end)).toBe(PASSAGE);
  });
});
