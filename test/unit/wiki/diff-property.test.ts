import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeDiff, DIFF_LIMITS, rowWeight, type ComputedDiff, type ViewRow } from "@/lib/wiki/diff-compute";
import { diffPage } from "@/lib/wiki/diff-page";
import { normalise, toLines } from "@/lib/wiki/diff-text";

// Property tests of the diff as the page shows it (lib/wiki/diff-compute.ts,
// diff-page.ts): pathological texts, and the invariants of the row model.

/** Lines from tiny alphabets (many repeats), long runs of one character, CJK without spaces, and words. */
const line = fc.oneof(
  fc.constantFrom("", "a", "b", "a a", "---", "  ", "}"),
  fc.string({ unit: fc.constantFrom("a", "b", " "), maxLength: 12 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => "x".repeat(n)),
  fc.string({ unit: fc.constantFrom("知", "识", "管", "理", "学", "习", "。"), maxLength: 400 }),
  fc.string({ unit: fc.constantFrom("<", ">", "&", "😀", "é", "\t"), maxLength: 30 }),
  fc.lorem({ maxCount: 12 }),
);
const text = fc.array(line, { maxLength: 60 }).map((lines) => lines.join("\n"));

type Edit = { at: number; remove: number; insert: string[] };
const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 5 }), insert: fc.array(line, { maxLength: 4 }) }), { maxLength: 8 });

function applyEdits(base: string, list: Edit[]): string {
  const lines = base.split("\n");
  for (const e of list) lines.splice(lines.length === 0 ? 0 : e.at % (lines.length + 1), e.remove, ...e.insert);
  return lines.join("\n");
}

/** An old text and a new one: unrelated, or the old one with random edits. */
const pair = fc.oneof(
  fc.tuple(text, text),
  fc.tuple(text, edits).map(([base, list]) => [base, applyEdits(base, list)] as const),
);

const NO_LIMITS = { rowChars: Infinity, rowParts: Infinity, pageRows: Infinity, pageChars: Infinity, pageParts: Infinity };
const linesOf = (t: string) => toLines(normalise(t));
const oldSide = (row: ViewRow) => (row.kind === "changed" ? row.oldText : row.kind === "added" ? null : row.text);
const newSide = (row: ViewRow) => (row.kind === "changed" ? row.newText : row.kind === "removed" ? null : row.text);

function allPages(diff: ComputedDiff) {
  return Array.from({ length: diff.pages.length }, (_, i) => diffPage(diff, i + 1));
}

describe("computeDiff, property-based", () => {
  it("with all context and no caps, the rows spell both texts exactly", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b, { context: Infinity, limits: NO_LIMITS });
        if (diff.identical) {
          expect(linesOf(a)).toEqual(linesOf(b));
          return;
        }
        const rows = diff.hunks.flatMap((h) => h.rows);
        expect(rows.map(oldSide).filter((t) => t !== null)).toEqual(linesOf(a));
        expect(rows.map(newSide).filter((t) => t !== null)).toEqual(linesOf(b));
      }),
      { numRuns: 300 },
    );
  });

  it("with collapsed context and caps, every shown row is the start of its line, and the unchanged lines not shown add up", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        const oldLines = linesOf(a);
        const newLines = linesOf(b);
        expect(diff.oldLineCount).toBe(oldLines.length);
        let shownOld = 0;
        let skippedOld = 0;
        for (const page of allPages(diff)) {
          skippedOld += page.skippedAfter;
          for (const hunk of page.hunks) {
            skippedOld += hunk.skippedBefore;
            for (const row of hunk.rows) {
              if (row.kind !== "added") {
                shownOld++;
                expect(oldLines[row.oldLine - 1]!.startsWith(oldSide(row)!)).toBe(true);
              }
              if (row.kind !== "removed") expect(newLines[row.newLine - 1]!.startsWith(newSide(row)!)).toBe(true);
              const cut = row.kind === "changed" ? [row.oldCut, row.newCut] : [row.cut];
              if (row.kind !== "added") expect(oldSide(row)!.length + cut[0]!).toBe(oldLines[row.oldLine - 1]!.length);
            }
          }
        }
        expect(shownOld + skippedOld).toBe(diff.identical ? 0 : oldLines.length);
      }),
      { numRuns: 300 },
    );
  });

  it("every row and every page stays within the caps, and there are never more rows than lines", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        const rows = diff.hunks.flatMap((h) => h.rows);
        expect(rows.length).toBeLessThanOrEqual(linesOf(a).length + linesOf(b).length);
        for (const row of rows) {
          for (const side of [oldSide(row), newSide(row)]) if (side !== null) expect(side.length).toBeLessThanOrEqual(DIFF_LIMITS.rowChars);
          if (row.kind === "changed") {
            expect(row.oldParts?.length ?? 0).toBeLessThanOrEqual(DIFF_LIMITS.rowParts);
            expect(row.newParts?.length ?? 0).toBeLessThanOrEqual(DIFF_LIMITS.rowParts);
            if (row.oldParts) expect(row.oldParts.map((p) => p.text).join("")).toBe(row.oldText);
            if (row.newParts) expect(row.newParts.map((p) => p.text).join("")).toBe(row.newText);
          }
        }
        let pagedRows = 0;
        for (const page of allPages(diff)) {
          const pageRows = page.hunks.flatMap((h) => h.rows);
          pagedRows += pageRows.length;
          const weight = pageRows.map(rowWeight).reduce((s, w) => ({ chars: s.chars + w.chars, parts: s.parts + w.parts }), { chars: 0, parts: 0 });
          expect(pageRows.length).toBeLessThanOrEqual(DIFF_LIMITS.pageRows);
          // A page holds at least one row, and a row alone is within the per-row caps.
          if (pageRows.length > 1) {
            expect(weight.chars).toBeLessThanOrEqual(DIFF_LIMITS.pageChars);
            expect(weight.parts).toBeLessThanOrEqual(DIFF_LIMITS.pageParts);
          }
        }
        // Pages cover every row exactly once.
        expect(pagedRows).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it("is plain JSON: what a worker would post back is the same diff", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b);
        expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
      }),
      { numRuns: 100 },
    );
  });

  it("with no time budget it gives up the fine stages and says so (work bounded by the budget flag, not the clock)", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diff = computeDiff(a, b, { budgetMs: 0, context: Infinity, limits: NO_LIMITS });
        if (diff.identical) return;
        const rows = diff.hunks.flatMap((h) => h.rows);
        // No pairing and no word highlights without a budget; the rows still spell both texts.
        if (diff.coarse) expect(rows.some((r) => r.kind === "changed" && r.oldParts !== null)).toBe(false);
        expect(rows.map(oldSide).filter((t) => t !== null)).toEqual(linesOf(a));
        expect(rows.map(newSide).filter((t) => t !== null)).toEqual(linesOf(b));
      }),
      { numRuns: 100 },
    );
  });
});
