import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MERGE_BYTES, threeWayMerge, undoEdit } from "@/lib/wiki/merge";

// Property tests of the three-way merge (lib/wiki/merge.ts): two edits to
// different parts of a page, separated by unchanged lines, always merge
// cleanly into a text holding both; pathological inputs stay bounded.

const line = fc.oneof(
  fc.constantFrom("", "a", "b", "same line", "---"),
  fc.lorem({ maxCount: 8 }),
  fc.string({ unit: fc.constantFrom("知", "识", "管", "理"), minLength: 1, maxLength: 40 }),
  fc.integer({ min: 1, max: 3000 }).map((n) => "y".repeat(n)),
);
/** Lines no generated base line equals, so an edit is always visible in the result. */
const editLine = fc.nat({ max: 1_000_000 }).map((n) => `edited ${n}`);
const lines = fc.array(line, { maxLength: 40 });

/**
 * A base and two edits of it: the first replaces lines [i, j), the second
 * lines [k, l), with k ≥ j + gap; every line between them is unchanged and
 * unique in the page (the anchor a merge needs to tell the edits apart).
 */
const scenario = fc
  .record({
    before: lines,
    firstOld: lines,
    middle: fc.array(line, { maxLength: 10 }),
    secondOld: lines,
    after: lines,
    firstNew: fc.array(editLine, { maxLength: 4 }),
    secondNew: fc.array(editLine, { maxLength: 4 }),
    separator: fc.nat({ max: 1_000_000 }).map((n) => `separator ${n} (unchanged)`),
  })
  .filter((s) => s.firstOld.length + s.firstNew.length > 0 && s.secondOld.length + s.secondNew.length > 0);

const join = (...parts: string[][]) => parts.flat().join("\n") + "\n";

describe("threeWayMerge, property-based", () => {
  it("edits separated by an unchanged unique line merge cleanly, and the result holds both", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const middle = [s.separator, ...s.middle, `${s.separator} again`];
        const base = join(s.before, s.firstOld, middle, s.secondOld, s.after);
        const mine = join(s.before, s.firstNew, middle, s.secondOld, s.after);
        const theirs = join(s.before, s.firstOld, middle, s.secondNew, s.after);
        const expected = join(s.before, s.firstNew, middle, s.secondNew, s.after);
        const result = threeWayMerge(base, theirs, mine);
        if (!result.clean) throw new Error(`conflict:\n${result.marked}`);
        expect(result.text).toBe(expected);
        // Symmetric: whose edit was saved first does not matter.
        expect(threeWayMerge(base, mine, theirs)).toEqual({ clean: true, text: expected });
      }),
      { numRuns: 300 },
    );
  });

  it("with only repeated lines between the edits, a merge may conflict but is never a wrong clean merge", () => {
    const tiny = fc.array(fc.constantFrom("", "a", "b"), { maxLength: 8 });
    const edit = fc.array(fc.nat({ max: 99 }).map((n) => `e${n}`), { maxLength: 3 });
    fc.assert(
      fc.property(tiny, tiny, fc.array(fc.constantFrom("", "a", "b"), { minLength: 1, maxLength: 3 }), tiny, tiny, edit, edit, (before, first, middle, second, after, firstNew, secondNew) => {
        fc.pre(first.length + firstNew.length > 0 && second.length + secondNew.length > 0);
        const mine = join(before, first, middle, secondNew, after);
        const theirs = join(before, firstNew, middle, second, after);
        // Two edits that give the same text are the same edit (in "a a a", dropping the first or the
        // last "a" cannot be told apart): the merge takes it, as git does.
        fc.pre(mine !== theirs);
        const result = threeWayMerge(join(before, first, middle, second, after), mine, theirs);
        if (result.clean) expect(result.text).toBe(join(before, firstNew, middle, secondNew, after));
      }),
      { numRuns: 1000 },
    );
  });

  it("merging an edit with itself, or with no edit, gives that edit", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const base = join(a);
        const edited = join(b);
        expect(threeWayMerge(base, base, edited)).toEqual({ clean: true, text: edited });
        expect(threeWayMerge(base, edited, base)).toEqual({ clean: true, text: edited });
        expect(threeWayMerge(base, edited, edited)).toEqual({ clean: true, text: edited });
      }),
      { numRuns: 200 },
    );
  });

  it("undoing the latest edit gives back its parent", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const parent = join(a);
        const target = join(b);
        expect(undoEdit(parent, target, target)).toEqual({ clean: true, text: parent });
      }),
      { numRuns: 200 },
    );
  });

  it("a conflict's marked text holds every side's lines; output is never larger than the inputs plus markers", () => {
    fc.assert(
      fc.property(lines, lines, lines, (o, a, b) => {
        const [base, mine, theirs] = [join(o), join(a), join(b)];
        const result = threeWayMerge(base, theirs, mine);
        const out = result.clean ? result.text : result.marked;
        const markers = result.clean ? 0 : result.conflicts.length * 64;
        expect(out.length).toBeLessThanOrEqual(base.length + mine.length + theirs.length + markers);
        if (!result.clean) {
          for (const region of result.conflicts) {
            expect(region.myLines.length + region.theirLines.length + region.baseLines.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("thousands of identical lines with edits at both ends merge (or refuse) without unbounded work", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom("a", "", "}"), (n, same) => {
        const body = Array.from({ length: n }, () => same);
        const base = join(["top"], body, ["bottom"]);
        const mine = join(["top edited"], body, ["bottom"]);
        const theirs = join(["top"], body, ["bottom edited"]);
        const result = threeWayMerge(base, theirs, mine);
        // Refusal (one region covering everything) is allowed; a wrong merge is not.
        if (result.clean) expect(result.text).toBe(join(["top edited"], body, ["bottom edited"]));
        else expect(result.conflicts.length).toBeGreaterThan(0);
      }),
      { numRuns: 10 },
    );
    const huge = "z".repeat(MAX_MERGE_BYTES);
    expect(threeWayMerge(huge, `${huge}1`, `2${huge}`).clean).toBe(false);
  });
});
