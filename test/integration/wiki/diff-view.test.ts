import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it } from "vitest";
import { DiffHunks } from "@/app/wiki/[slug]/diff/diff-hunks";
import { AppError } from "@/lib/errors";
import { DIFF_LIMITS } from "@/lib/wiki/diff-compute";
import { readerCharge, sharedCharge } from "@/lib/wiki/diff-cost";
import { savePage } from "@/lib/wiki/page-updater";
import { compareRevisions } from "@/lib/wiki/revision-diff";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

beforeEach(resetDatabase);

/** 9,000 lines, about 160 KB: the hostile page. */
const body = (word: string) => Array.from({ length: 9000 }, (_, i) => `${word} ${i} hostile`).join("\n") + "\n";

async function hostilePage() {
  const db = testDb();
  const author = await buildUser(db);
  const first = await buildPage(db, "Hostile", conceptSource("Hostile", body("alpha")), author);
  const second = await savePage(db, { title: "Hostile", content: conceptSource("Hostile", body("beta")), authorId: author.id, summary: "rewrite", baseRevisionId: first.revision.id });
  if (second.status !== "saved") throw new Error("expected a saved revision");
  return { db, page: first.page, from: first.revision, to: second.revision };
}

const render = (diff: Parameters<typeof DiffHunks>[0]["diff"], view: "side" | "inline") =>
  renderToString(createElement(DiffHunks, { diff, view, pageHref: (n: number) => `/wiki/Hostile/diff?from=1&to=2&page=${n}` }));

describe("the diff view of two 160 KB revisions of 9,000 lines", () => {
  it("shows one bounded page of hunks with a link to the next, and the next page is reachable", async () => {
    const { db, page, from, to } = await hostilePage();
    expect(from.content.length).toBeGreaterThan(140_000);

    const first = await compareRevisions(db, page.id, from.id, to.id);
    const diff = first.diff;
    expect(diff.page).toBe(1);
    expect(diff.pageCount).toBeGreaterThan(1);
    const rows = diff.hunks.flatMap((h) => h.rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(DIFF_LIMITS.pageRows);
    expect(diff.hunks.length).toBeLessThanOrEqual(DIFF_LIMITS.pageRows);
    for (const view of ["side", "inline"] as const) {
      const html = render(diff, view);
      // Next.js sends a page's markup twice (HTML and RSC payload): half a megabyte each at most.
      expect(Buffer.byteLength(html)).toBeLessThan(500_000);
      expect(html).toContain("page=2");
      expect(html).toContain("next changes");
    }

    const second = await compareRevisions(db, page.id, from.id, to.id, { page: 2 });
    expect(second.diff.page).toBe(2);
    const secondRows = second.diff.hunks.flatMap((h) => h.rows);
    expect(secondRows.length).toBeGreaterThan(0);
    expect(secondRows[0]).not.toEqual(rows[0]);
    expect(render(second.diff, "side")).toContain("previous changes");

    // A page number past the end shows the last page.
    const last = await compareRevisions(db, page.id, from.id, to.id, { page: 10_000 });
    expect(last.diff.page).toBe(diff.pageCount);
  });

  it("collapses unchanged context into 'N unchanged lines' between hunks", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
    const first = await buildPage(db, "Sparse", conceptSource("Sparse", lines.join("\n") + "\n"), author);
    const edited = lines.map((l, i) => (i === 100 || i === 1500 ? `${l} edited` : l));
    const second = await savePage(db, { title: "Sparse", content: conceptSource("Sparse", edited.join("\n") + "\n"), authorId: author.id, summary: "two edits", baseRevisionId: first.revision.id });
    if (second.status !== "saved") throw new Error("expected a saved revision");
    const { diff } = await compareRevisions(db, first.page.id, first.revision.id, second.revision.id);
    expect(diff.hunkCount).toBe(2);
    expect(diff.hunks.map((h) => h.rows.length)).toEqual([7, 7]);
    const html = render(diff, "side");
    expect(html).toMatch(/1,393 unchanged lines/);
  });

  it("charges a computed diff to the reader: readers without an account run out first, then get 429 with Retry-After", async () => {
    const db = testDb();
    const anonymous = readerCharge(db, { userId: null, ip: "203.0.113.7" });
    const cost = { chars: 600_000, adjacent: false };
    for (let i = 0; i < 3; i++) await anonymous(cost);
    const refused = await anonymous(cost).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(429);
    expect((refused as AppError).details.retryAfterSeconds).toBeGreaterThan(0);
    // Another address has its own budget; neighbouring revisions cost a quarter.
    const neighbour = readerCharge(db, { userId: null, ip: "203.0.113.8" });
    for (let i = 0; i < 12; i++) await neighbour({ chars: 600_000, adjacent: true });
    // A signed-in reader has a higher budget.
    const member = readerCharge(db, { userId: (await buildUser(db)).id, ip: "203.0.113.7" });
    for (let i = 0; i < 10; i++) await member(cost);
  });

  it("the shared page budget never refuses small or neighbouring diffs, and a cached diff costs nothing", async () => {
    const { db, page, from, to } = await hostilePage();
    const shared = sharedCharge(db);
    for (let i = 0; i < 100; i++) await shared({ chars: 600_000, adjacent: true });
    for (let i = 0; i < 100; i++) await shared({ chars: 60_000, adjacent: false });
    await compareRevisions(db, page.id, from.id, to.id);
    let charged = 0;
    const counting = async () => {
      charged++;
    };
    for (let n = 1; n <= 3; n++) await compareRevisions(db, page.id, from.id, to.id, { page: n, charge: counting });
    expect(charged).toBe(0);
  });
});

describe("what the diff view says about moves and re-wraps", () => {
  const paragraph = (n: number) => `Paragraph ${n} says something long enough to be recognised when it moves elsewhere.`;

  it("labels a moved paragraph on both sides with a link to the other end, across pages of a long diff", async () => {
    const db = testDb();
    const author = await buildUser(db);
    // 400 paragraphs, every 5th edited (hundreds of rows: several pages), and the first moved to the end.
    const before = Array.from({ length: 400 }, (_, i) => paragraph(i));
    const after = [...before.slice(1).map((p, i) => (i % 5 === 0 ? `${p} Edited.` : p)), before[0]!];
    const first = await buildPage(db, "Moves", conceptSource("Moves", before.join("\n\n") + "\n"), author);
    const second = await savePage(db, { title: "Moves", content: conceptSource("Moves", after.join("\n\n") + "\n"), authorId: author.id, summary: "move", baseRevisionId: first.revision.id });
    if (second.status !== "saved") throw new Error("expected a saved revision");
    const firstPage = (await compareRevisions(db, first.page.id, first.revision.id, second.revision.id)).diff;
    expect(firstPage.pageCount).toBeGreaterThan(1);
    const html = render(firstPage, "side");
    // The old side, on page 1: where it went, on the last page.
    const removed = html.match(/<a class="diff-move-label" href="([^"]+)">moved to line (\d+)<\/a>/);
    expect(removed).not.toBeNull();
    const [, href, line] = removed!;
    expect(href).toMatch(new RegExp(`page=${firstPage.pageCount}#moved-1-new$`));
    const lastPage = (await compareRevisions(db, first.page.id, first.revision.id, second.revision.id, { page: firstPage.pageCount })).diff;
    const last = render(lastPage, "inline");
    // The new side: the row the link points at, labelled with where it came from (page 1).
    expect(last).toMatch(/<tr id="moved-1-new"[^>]*>/);
    expect(last).toContain(`page=1#moved-1-old">moved here from line`);
    const target = lastPage.hunks.flatMap((h) => h.rows).find((r) => r.kind === "added" && r.moveId === 1);
    expect(target?.kind === "added" && String(target.newLine)).toBe(line);
  });

  it("shows a re-wrapped paragraph as one row with the note and no word marked", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const words = "Learning transfer grows like a cutting taken from a plant in one garden and set to root in another, where the soil and the gardener differ.";
    const wrap = (width: number) => {
      const lines: string[] = [];
      let line = "";
      for (const word of words.split(" ")) {
        if (line && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      return [...lines, line].join("\n");
    };
    const first = await buildPage(db, "Wrapped", conceptSource("Wrapped", `Intro.\n\n${wrap(40)}\n\nEnd.\n`), author);
    const second = await savePage(db, { title: "Wrapped", content: conceptSource("Wrapped", `Intro.\n\n${wrap(72)}\n\nEnd.\n`), authorId: author.id, summary: "re-wrap", baseRevisionId: first.revision.id });
    if (second.status !== "saved") throw new Error("expected a saved revision");
    const { diff } = await compareRevisions(db, first.page.id, first.revision.id, second.revision.id);
    expect(diff.stats).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, rewrapped: 1 });
    for (const view of ["side", "inline"] as const) {
      const html = render(diff, view);
      expect(html).toContain("re-wrapped: same words, new line breaks");
      expect(html).not.toMatch(/<(ins|del)>/);
    }
  });
});
