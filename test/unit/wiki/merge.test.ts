import { describe, expect, it } from "vitest";
import {
  CONFLICT_MARKERS,
  MAX_MERGE_BYTES,
  threeWayMerge,
  undoEdit,
  type ConflictRegion,
  type MergeResult,
} from "@/lib/wiki/merge";

const lines = (...xs: string[]) => xs.join("\n") + "\n";

function expectClean(result: MergeResult): string {
  if (!result.clean) throw new Error(`expected a clean merge, got:\n${result.marked}`);
  return result.text;
}

function expectConflict(result: MergeResult): { conflicts: ConflictRegion[]; marked: string } {
  if (result.clean) throw new Error(`expected a conflict, got clean text:\n${result.text}`);
  return result;
}

/** Every region's startLine must point at its `<<<<<<< yours` marker, followed by the region's lines. */
function expectRegionsMatchMarked(conflicts: ConflictRegion[], marked: string): void {
  const markedLines = marked.split("\n");
  const markerCount = markedLines.filter((l) => l === CONFLICT_MARKERS.mine).length;
  expect(markerCount).toBe(conflicts.length);
  for (const region of conflicts) {
    const start = region.startLine - 1;
    const expected = [
      CONFLICT_MARKERS.mine,
      ...region.myLines,
      CONFLICT_MARKERS.base,
      ...region.baseLines,
      CONFLICT_MARKERS.separator,
      ...region.theirLines,
      CONFLICT_MARKERS.theirs,
    ];
    expect(markedLines.slice(start, start + expected.length)).toEqual(expected);
  }
}

const BASE = lines(
  "# Social learning",
  "",
  "People learn from each other.",
  "",
  "## Traditional KM",
  "",
  "Documents are stored centrally.",
  "",
  "## Conclusion",
  "",
  "Both have a place.",
);

describe("threeWayMerge: trivial cases", () => {
  it("returns theirs when mine is unchanged from base", () => {
    const theirs = BASE.replace("Both have a place.", "Both matter.");
    expect(threeWayMerge(BASE, theirs, BASE)).toEqual({ clean: true, text: theirs });
  });

  it("returns mine when theirs is unchanged from base", () => {
    const mine = BASE.replace("People learn", "Humans learn");
    expect(threeWayMerge(BASE, BASE, mine)).toEqual({ clean: true, text: mine });
  });

  it("returns the text when both sides made exactly the same whole-page change", () => {
    const both = "Rewritten entirely.\n";
    expect(threeWayMerge(BASE, both, both)).toEqual({ clean: true, text: both });
  });

  it("returns theirs verbatim (including its final newline) when mine is unchanged", () => {
    expect(threeWayMerge("a\n", "a\nb", "a\n")).toEqual({ clean: true, text: "a\nb" });
  });

  it("handles empty inputs", () => {
    expect(threeWayMerge("", "", "")).toEqual({ clean: true, text: "" });
    expect(threeWayMerge("", "theirs\n", "")).toEqual({ clean: true, text: "theirs\n" });
    expect(threeWayMerge("", "", "mine\n")).toEqual({ clean: true, text: "mine\n" });
  });
});

describe("threeWayMerge: clean merges", () => {
  it("merges edits in different paragraphs, keeping both changes", () => {
    const theirs = BASE.replace("Documents are stored centrally.", "Documents live in a central repository.");
    const mine = BASE.replace("People learn from each other.", "People learn from one another.");
    const text = expectClean(threeWayMerge(BASE, theirs, mine));
    expect(text).toBe(
      lines(
        "# Social learning",
        "",
        "People learn from one another.",
        "",
        "## Traditional KM",
        "",
        "Documents live in a central repository.",
        "",
        "## Conclusion",
        "",
        "Both have a place.",
      ),
    );
  });

  it("treats the same edit made on both sides as no conflict", () => {
    const edited = BASE.replace("Both have a place.", "Both have their place.");
    const mine = edited.replace("# Social learning", "# Social learning (overview)");
    const text = expectClean(threeWayMerge(BASE, edited, mine));
    expect(text).toBe(mine);
    expect(text.match(/Both have their place\./g)).toHaveLength(1);
  });

  it("merges an insertion on one side with an edit elsewhere on the other", () => {
    const theirs = BASE.replace("## Conclusion\n", "## Conclusion\n\nA new sentence.\n");
    const mine = BASE.replace("# Social learning", "# Learning socially");
    const text = expectClean(threeWayMerge(BASE, theirs, mine));
    expect(text).toContain("# Learning socially");
    expect(text).toContain("## Conclusion\n\nA new sentence.\n");
  });

  it("merges a deletion on one side with an unrelated edit on the other", () => {
    const theirs = BASE.replace("## Traditional KM\n\nDocuments are stored centrally.\n\n", "");
    const mine = BASE.replace("Both have a place.", "Both have a place, used well.");
    const text = expectClean(threeWayMerge(BASE, theirs, mine));
    expect(text).not.toContain("Traditional KM");
    expect(text).toContain("Both have a place, used well.");
  });

  it("merges edits separated by a single unchanged line", () => {
    const base = lines("1", "2", "3", "4", "5");
    const text = expectClean(threeWayMerge(base, lines("1", "2", "3", "FOUR", "5"), lines("1", "TWO", "3", "4", "5")));
    expect(text).toBe(lines("1", "TWO", "3", "FOUR", "5"));
  });

  it("merges many interleaved non-overlapping edits", () => {
    const baseLines = Array.from({ length: 60 }, (_, i) => `line ${i}`);
    const mineLines = baseLines.map((l, i) => (i % 6 === 1 ? `${l} (mine)` : l));
    const theirLines = baseLines.map((l, i) => (i % 6 === 4 ? `${l} (theirs)` : l));
    const expected = baseLines.map((l, i) => (i % 6 === 1 ? `${l} (mine)` : i % 6 === 4 ? `${l} (theirs)` : l));
    expect(expectClean(threeWayMerge(lines(...baseLines), lines(...theirLines), lines(...mineLines)))).toBe(
      lines(...expected),
    );
  });

  it("keeps identical insertions at the same place only once", () => {
    const base = lines("a", "b", "c");
    const theirs = lines("a", "new", "b", "c");
    const mine = lines("a", "new", "b", "C");
    expect(threeWayMerge(base, theirs, mine)).toEqual({ clean: true, text: lines("a", "new", "b", "C") });
  });
});

describe("threeWayMerge: conflicts", () => {
  it("reports a conflict on the same line with all three versions and git-style markers", () => {
    const base = lines("intro", "", "The sky is blue.", "", "outro");
    const theirs = lines("intro", "", "The sky is grey.", "", "outro");
    const mine = lines("intro", "", "The sky is azure.", "", "outro");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));

    expect(conflicts).toEqual([
      { baseLines: ["The sky is blue."], theirLines: ["The sky is grey."], myLines: ["The sky is azure."], startLine: 3 },
    ]);
    expect(marked).toBe(
      lines(
        "intro",
        "",
        "<<<<<<< yours",
        "The sky is azure.",
        "||||||| base",
        "The sky is blue.",
        "=======",
        "The sky is grey.",
        ">>>>>>> theirs",
        "",
        "outro",
      ),
    );
    expectRegionsMatchMarked(conflicts, marked);
  });

  it("reports conflicts on the first and last lines with correct start lines", () => {
    const base = lines("first", "middle", "last");
    const { conflicts, marked } = expectConflict(
      threeWayMerge(base, lines("FIRST-T", "middle", "LAST-T"), lines("FIRST-M", "middle", "LAST-M")),
    );
    expect(conflicts.map((c) => c.startLine)).toEqual([1, 9]);
    expect(conflicts[1]).toMatchObject({ baseLines: ["last"], theirLines: ["LAST-T"], myLines: ["LAST-M"] });
    expectRegionsMatchMarked(conflicts, marked);
    expect(marked.endsWith(">>>>>>> theirs\n")).toBe(true);
  });

  it("places the start line of a later conflict after the markers of an earlier one", () => {
    const base = lines("a", "b", "c", "d", "e", "f", "g");
    const theirs = lines("a", "B1", "c", "d", "e", "F1", "g");
    const mine = lines("a", "B2", "c", "d", "e", "F2a", "F2b", "g");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    // "a" + 7 marker/content lines for the first region + "c" "d" "e" → the second starts on line 12.
    expect(conflicts.map((c) => c.startLine)).toEqual([2, 12]);
    expect(conflicts[1]).toMatchObject({ baseLines: ["f"], theirLines: ["F1"], myLines: ["F2a", "F2b"] });
    expectRegionsMatchMarked(conflicts, marked);
  });

  it("keeps clean changes elsewhere in `marked` when there is also a conflict", () => {
    const base = lines("a", "b", "c", "d", "e");
    const theirs = lines("a", "b", "c", "d", "E-theirs");
    const mine = lines("A-mine", "b", "c", "d", "E-mine");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toHaveLength(1);
    expect(marked.startsWith("A-mine\nb\nc\nd\n<<<<<<< yours\n")).toBe(true);
  });

  it("documents node-diff3 on adjacent-line edits: touching hunks are one conflict (as in git)", () => {
    // Mine edits line 2, theirs edits line 3; no unchanged line separates them.
    const base = lines("1", "2", "3", "4");
    const theirs = lines("1", "2", "THREE", "4");
    const mine = lines("1", "TWO", "3", "4");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toEqual([
      { baseLines: ["2", "3"], theirLines: ["2", "THREE"], myLines: ["TWO", "3"], startLine: 2 },
    ]);
    expectRegionsMatchMarked(conflicts, marked);
  });

  it("documents node-diff3 on an insertion right after a line the other side edited: a conflict", () => {
    const base = lines("1", "2", "3");
    const theirs = lines("1", "TWO", "3");
    const mine = lines("1", "2", "inserted", "3");
    const { conflicts } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toEqual([
      { baseLines: ["2"], theirLines: ["TWO"], myLines: ["2", "inserted"], startLine: 2 },
    ]);
  });

  it("reports different insertions at the same place as a conflict with no base lines", () => {
    const base = lines("a", "b");
    const { conflicts, marked } = expectConflict(
      threeWayMerge(base, lines("a", "b", "theirs appended"), lines("a", "b", "mine appended")),
    );
    expect(conflicts).toEqual([{ baseLines: [], theirLines: ["theirs appended"], myLines: ["mine appended"], startLine: 3 }]);
    expect(marked).toBe(lines("a", "b", "<<<<<<< yours", "mine appended", "||||||| base", "=======", "theirs appended", ">>>>>>> theirs"));
  });

  it("reports a deletion on my side against an edit on theirs as a conflict", () => {
    const base = lines("keep", "doomed paragraph", "keep too");
    const theirs = lines("keep", "doomed paragraph, improved", "keep too");
    const mine = lines("keep", "keep too");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toEqual([
      { baseLines: ["doomed paragraph"], theirLines: ["doomed paragraph, improved"], myLines: [], startLine: 2 },
    ]);
    expect(marked).toBe(
      lines("keep", "<<<<<<< yours", "||||||| base", "doomed paragraph", "=======", "doomed paragraph, improved", ">>>>>>> theirs", "keep too"),
    );
  });

  it("reports an edit on my side against a deletion on theirs as a conflict", () => {
    const base = lines("keep", "doomed paragraph", "keep too");
    const theirs = lines("keep", "keep too");
    const mine = lines("keep", "doomed paragraph, improved", "keep too");
    const { conflicts } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toEqual([
      { baseLines: ["doomed paragraph"], theirLines: [], myLines: ["doomed paragraph, improved"], startLine: 2 },
    ]);
  });

  it("treats the same deletion on both sides as clean", () => {
    const base = lines("a", "b", "c");
    expect(threeWayMerge(base, lines("a", "c"), lines("a", "c", "d"))).toEqual({ clean: true, text: lines("a", "c", "d") });
  });
});

describe("threeWayMerge: line endings", () => {
  it("normalises CRLF input and produces LF output", () => {
    const base = "one\r\ntwo\r\nthree\r\n";
    const theirs = "one\r\ntwo\r\nthree, theirs\r\n";
    const mine = "one, mine\ntwo\nthree\n";
    expect(threeWayMerge(base, theirs, mine)).toEqual({ clean: true, text: "one, mine\ntwo\nthree, theirs\n" });
  });

  it("treats a CRLF-only difference as no change", () => {
    const base = "a\nb\n";
    expect(threeWayMerge(base, "a\nB\n", "a\r\nb\r\n")).toEqual({ clean: true, text: "a\nB\n" });
    expect(threeWayMerge("a\r\nb\r\n", "a\r\nb\r\n", "A\r\nb\r\n")).toEqual({ clean: true, text: "A\nb\n" });
  });

  it("normalises lone CR line breaks too", () => {
    expect(threeWayMerge("a\rb\rc", "a\rb\rC", "A\rb\rc")).toEqual({ clean: true, text: "A\nb\nC" });
  });

  it("uses LF in conflict-marked text for CRLF input", () => {
    const { marked } = expectConflict(threeWayMerge("x\r\n", "y\r\n", "z\r\n"));
    expect(marked).not.toContain("\r");
    expect(marked).toBe(lines("<<<<<<< yours", "z", "||||||| base", "x", "=======", "y", ">>>>>>> theirs"));
  });

  it("keeps mine's missing final newline", () => {
    const base = lines("a", "b", "c");
    expect(threeWayMerge(base, lines("a", "b", "C"), "A\nb\nc")).toEqual({ clean: true, text: "A\nb\nC" });
  });

  it("keeps mine's added final newline", () => {
    expect(threeWayMerge("a\nb\nc", "a\nb\nC", "A\nb\nc\n")).toEqual({ clean: true, text: "A\nb\nC\n" });
  });

  it("keeps theirs' final-newline change when mine left it as in base", () => {
    expect(threeWayMerge("a\nb\nc\n", "a\nb\nC", "A\nb\nc\n")).toEqual({ clean: true, text: "A\nb\nC" });
  });

  it("keeps blank lines at the end of the text", () => {
    expect(threeWayMerge("a\nb\nc\n\n", "a\nb\nC\n\n", "A\nb\nc\n\n")).toEqual({ clean: true, text: "A\nb\nC\n\n" });
  });
});

describe("threeWayMerge: size guards", () => {
  it("refuses inputs over 3 MiB as one conflict region covering every version", () => {
    const big = "x".repeat(80) + "\n";
    const repeats = Math.ceil(MAX_MERGE_BYTES / 3 / big.length) + 10;
    const base = `base header\n${big.repeat(repeats)}`;
    const theirs = `theirs header\n${big.repeat(repeats)}`;
    const mine = `base header\n${big.repeat(repeats)}mine footer\n`;
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toHaveLength(1);
    const [region] = conflicts;
    expect(region?.startLine).toBe(1);
    expect(region?.baseLines.join("\n") + "\n").toBe(base);
    expect(region?.theirLines.join("\n") + "\n").toBe(theirs);
    expect(region?.myLines.join("\n") + "\n").toBe(mine);
    expect(marked.startsWith(`${CONFLICT_MARKERS.mine}\nbase header\n`)).toBe(true);
    expect(marked.endsWith(`theirs header\n${big.repeat(repeats)}${CONFLICT_MARKERS.theirs}\n`)).toBe(true);
    expectRegionsMatchMarked(conflicts, marked);
  });

  it("counts UTF-8 bytes, not characters, against the 3 MiB cap", () => {
    // ~0.6 Mi characters per version: ~1.8 Mi characters in all, under the cap as
    // characters but ~3.6 MiB as UTF-8 when every character is a 2-byte "é".
    // Lines are distinct so the work guard does not fire.
    const version = (char: string) =>
      Array.from({ length: 615 }, (_, i) => `${i} ${char.repeat(1020)}`).join("\n") + "\n";
    const merge = (char: string) => {
      const base = version(char);
      return threeWayMerge(base, "theirs\n" + base, base + "mine\n");
    };
    const ascii = merge("e");
    expect(ascii.clean).toBe(true);
    if (ascii.clean) expect(ascii.text.startsWith("theirs\n0 ") && ascii.text.endsWith("\nmine\n")).toBe(true);

    const accented = merge("é");
    expect(accented.clean).toBe(false);
    if (!accented.clean) expect(accented.conflicts).toHaveLength(1);
  });

  it("still merges a localised edit on a large page (common start and end are trimmed)", () => {
    const paragraphs = Array.from({ length: 6000 }, (_, i) => (i % 2 === 1 ? "" : `Paragraph ${i % 10} of many.`));
    const base = lines(...paragraphs);
    const theirLines = [...paragraphs];
    theirLines[3000] = "Their edit.";
    const myLines = [...paragraphs];
    myLines[3010] = "My edit.";
    const text = expectClean(threeWayMerge(base, lines(...theirLines), lines(...myLines)));
    expect(text).toContain("Their edit.");
    expect(text).toContain("My edit.");
    expect(text.split("\n")).toHaveLength(6001);
  });

  it("refuses edits spread across a large page with no unique lines rather than running a near-cubic diff", () => {
    const paragraphs = Array.from({ length: 6000 }, (_, i) => (i % 2 === 1 ? "" : `Paragraph ${i % 10} of many.`));
    const base = lines(...paragraphs);
    const theirs = lines("Their first line.", ...paragraphs.slice(1));
    const mine = lines(...paragraphs.slice(0, -1), "My last line.");
    const { conflicts, marked } = expectConflict(threeWayMerge(base, theirs, mine));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.startLine).toBe(1);
    expect(conflicts[0]?.myLines).toHaveLength(6000);
    expectRegionsMatchMarked(conflicts, marked);
  });

  it("does not refuse a large page when only one side changed it", () => {
    const base = "line\n\n".repeat(300_000);
    const theirs = "start\n" + base + "end\n";
    expect(threeWayMerge(base, theirs, base)).toEqual({ clean: true, text: theirs });
  });
});

describe("threeWayMerge: large pages (anchor-split merge)", () => {
  // 6,000 lines of unique paragraphs separated by blank lines: far over the
  // single-piece LCS budget when edits sit at both ends, so the merge is split
  // at lines unique in all three versions.
  const paragraphs = Array.from({ length: 6000 }, (_, i) => (i % 2 === 1 ? "" : `Paragraph ${i / 2}: some prose.`));

  /** Deterministic PRNG (LCG) so the test is reproducible. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
  }

  it("merges many scattered non-overlapping edits, including at both ends, into both sets of changes", () => {
    const next = random(7);
    // Per base line: what one side does with it. Edits are kept at least two
    // unchanged lines apart so the expected text is unambiguous.
    type Op = { side: "mine" | "theirs"; kind: "replace" | "insertBefore" | "delete" };
    const ops = new Map<number, Op>();
    ops.set(0, { side: "theirs", kind: "replace" });
    ops.set(paragraphs.length - 2, { side: "mine", kind: "replace" });
    const kinds = ["replace", "insertBefore", "delete"] as const;
    for (let i = 4; i < paragraphs.length - 6; i += 3 + Math.floor(next() * 40)) {
      const kind = kinds[Math.floor(next() * 3)] ?? "replace";
      // Deleting a blank line would join paragraphs; delete only prose lines.
      ops.set(i, { side: next() < 0.5 ? "mine" : "theirs", kind: kind === "delete" && paragraphs[i] === "" ? "replace" : kind });
    }
    const apply = (...sides: Op["side"][]) =>
      paragraphs.flatMap((line, i) => {
        const op = ops.get(i);
        if (!op || !sides.includes(op.side)) return [line];
        if (op.kind === "replace") return [`${line} [${op.side} ${i}]`];
        if (op.kind === "insertBefore") return [`[${op.side} inserted ${i}]`, line];
        return [];
      });
    expect(ops.size).toBeGreaterThan(100);
    const result = threeWayMerge(lines(...paragraphs), lines(...apply("theirs")), lines(...apply("mine")));
    expect(expectClean(result)).toBe(lines(...apply("mine", "theirs")));
  });

  it("reports a conflict in the middle with the right start line, merging the rest", () => {
    const theirLines = [...paragraphs];
    theirLines[0] = "Theirs at the top.";
    theirLines[3000] = "Theirs in the middle.";
    const myLines = [...paragraphs];
    myLines[3000] = "Mine in the middle.";
    myLines[5998] = "Mine at the bottom.";
    const { conflicts, marked } = expectConflict(threeWayMerge(lines(...paragraphs), lines(...theirLines), lines(...myLines)));
    expect(conflicts).toEqual([
      { baseLines: [paragraphs[3000]], theirLines: ["Theirs in the middle."], myLines: ["Mine in the middle."], startLine: 3001 },
    ]);
    expectRegionsMatchMarked(conflicts, marked);
    const markedLines = marked.split("\n");
    expect(markedLines[0]).toBe("Theirs at the top.");
    expect(markedLines.at(-3)).toBe("Mine at the bottom.");
    // 6,000 lines, 6 extra for the markers and the two other versions' lines, and "" after the final newline.
    expect(markedLines).toHaveLength(6000 + 6 + 1);
  });

  it("still treats adjacent-line edits as one conflict", () => {
    const theirLines = [...paragraphs];
    theirLines[0] = "Theirs at the top.";
    theirLines[2001] = "Theirs fills the blank line.";
    const myLines = [...paragraphs];
    myLines[2000] = "Mine edits the paragraph above it.";
    myLines[5998] = "Mine at the bottom.";
    const { conflicts } = expectConflict(threeWayMerge(lines(...paragraphs), lines(...theirLines), lines(...myLines)));
    expect(conflicts).toEqual([
      {
        baseLines: [paragraphs[2000], ""],
        theirLines: [paragraphs[2000], "Theirs fills the blank line."],
        myLines: ["Mine edits the paragraph above it.", ""],
        startLine: 2001,
      },
    ]);
  });
});

describe("undoEdit", () => {
  // History: r1 → r2 (edits the KM paragraph) → r3 (unrelated edit to the conclusion).
  const r1 = BASE;
  const r2 = BASE.replace("Documents are stored centrally.", "Documents are stored in SharePoint.");
  const r3 = r2.replace("Both have a place.", "Both have a place, and they combine well.");

  it("reverts an older edit while keeping later unrelated edits", () => {
    const text = expectClean(undoEdit(r1, r2, r3));
    expect(text).toContain("Documents are stored centrally.");
    expect(text).not.toContain("SharePoint");
    expect(text).toContain("Both have a place, and they combine well.");
    expect(text).toBe(r1.replace("Both have a place.", "Both have a place, and they combine well."));
  });

  it("undoing the latest edit restores its parent exactly", () => {
    expect(undoEdit(r2, r3, r3)).toEqual({ clean: true, text: r2 });
  });

  it("undoes an older insertion and an older deletion", () => {
    const a = lines("a", "b", "c", "d", "e");
    const withInsert = lines("a", "b", "inserted", "c", "d", "e");
    const later = lines("a", "b", "inserted", "c", "d", "E");
    expect(undoEdit(a, withInsert, later)).toEqual({ clean: true, text: lines("a", "b", "c", "d", "E") });

    const withDelete = lines("a", "c", "d", "e");
    const later2 = lines("a", "c", "d", "E");
    expect(undoEdit(a, withDelete, later2)).toEqual({ clean: true, text: lines("a", "b", "c", "d", "E") });
  });

  it("is a no-op when the edit was already reverted by hand", () => {
    const current = r3.replace("SharePoint", "centrally").replace("stored in centrally", "stored centrally");
    expect(undoEdit(r1, r2, current)).toEqual({ clean: true, text: current });
  });

  it("conflicts when a later edit touched the same lines", () => {
    const r3b = r2.replace("Documents are stored in SharePoint.", "Documents are stored in SharePoint Online.");
    const { conflicts, marked } = expectConflict(undoEdit(r1, r2, r3b));
    expect(conflicts).toEqual([
      {
        baseLines: ["Documents are stored in SharePoint."],
        theirLines: ["Documents are stored in SharePoint Online."],
        myLines: ["Documents are stored centrally."],
        startLine: 7,
      },
    ]);
    expectRegionsMatchMarked(conflicts, marked);
    expect(marked).toContain("# Social learning\n");
  });
});
