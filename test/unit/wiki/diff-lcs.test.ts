import { diffArrays } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markCommon } from "@/lib/wiki/diff-lcs";

// The typed-array LCS of the word diff (lib/wiki/diff-lcs.ts) against jsdiff's on the same ids.

const ids = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 80 });

describe("markCommon", () => {
  it("keeps a common subsequence as long as jsdiff's, the same items in order on both sides", () => {
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        const keptA = new Uint8Array(a.length);
        const keptB = new Uint8Array(b.length);
        expect(markCommon(a, b, { a0: 0, a1: a.length, b0: 0, b1: b.length }, keptA, keptB, a.length + b.length)).toBe(true);
        const fromA = a.filter((_, i) => keptA[i]);
        const fromB = b.filter((_, i) => keptB[i]);
        expect(fromA).toEqual(fromB);
        const common = diffArrays(a, b).reduce((n, c) => (c.added || c.removed ? n : n + c.count), 0);
        expect(fromA.length).toBe(common);
      }),
      { numRuns: 500 },
    );
  });

  it("marks nothing and says so when the edit needs more than maxEdits insertions and deletions", () => {
    fc.assert(
      fc.property(ids, ids, fc.nat({ max: 20 }), (a, b, maxEdits) => {
        const keptA = new Uint8Array(a.length);
        const keptB = new Uint8Array(b.length);
        const common = diffArrays(a, b).reduce((n, c) => (c.added || c.removed ? n : n + c.count), 0);
        const edits = a.length + b.length - 2 * common;
        const done = markCommon(a, b, { a0: 0, a1: a.length, b0: 0, b1: b.length }, keptA, keptB, maxEdits);
        expect(done).toBe(edits <= maxEdits);
        if (!done) expect([...keptA, ...keptB].every((k) => k === 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
