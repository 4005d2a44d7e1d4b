import { describe, expect, it } from "vitest";
import {
  blame,
  blameBlocks,
  DEFAULT_MAX_BLAME_REVISIONS,
  MAX_EXACT_EDIT_LENGTH,
  type BlameLine,
  type BlameRevision,
} from "@/lib/wiki/blame";

/** Build a chain of revisions with ids 1, 2, 3, … (or the given ids) from contents. */
function chain(contents: string[], ids?: number[]): BlameRevision[] {
  return contents.map((content, i) => ({
    id: ids?.[i] ?? i + 1,
    authorName: `author${i + 1}`,
    createdAt: new Date(Date.UTC(2024, 0, i + 1)),
    summary: `edit ${i + 1}`,
    content,
  }));
}

const text = (...lines: string[]) => lines.join("\n") + "\n";

/** [text, revisionId] pairs, which read better in assertions than full BlameLine objects. */
function owners(revisions: BlameRevision[], options?: Parameters<typeof blame>[1]): [string, number][] {
  return blame(revisions, options).lines.map((l) => [l.text, l.revisionId]);
}

describe("blame", () => {
  it("returns nothing for no revisions or an empty page", () => {
    expect(blame([])).toEqual({ lines: [], truncated: false });
    expect(blame(chain([""]))).toEqual({ lines: [], truncated: false });
    expect(blame(chain(["a\n", ""]))).toEqual({ lines: [], truncated: false });
  });

  it("attributes every line of a single revision to it, numbering lines from 1", () => {
    const result = blame(chain([text("# Title", "", "Body.")], [42]));
    expect(result).toEqual({
      truncated: false,
      lines: [
        { line: 1, text: "# Title", revisionId: 42 },
        { line: 2, text: "", revisionId: 42 },
        { line: 3, text: "Body.", revisionId: 42 },
      ],
    });
  });

  it("does not count the final newline as a line, and works without one", () => {
    expect(owners(chain(["a\nb"]))).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    expect(owners(chain(["a\nb\n\n"]))).toEqual([
      ["a", 1],
      ["b", 1],
      ["", 1],
    ]);
  });

  it("gives an appended line to the new revision while the others keep the old one", () => {
    expect(owners(chain([text("one", "two"), text("one", "two", "three")]))).toEqual([
      ["one", 1],
      ["two", 1],
      ["three", 2],
    ]);
  });

  it("keeps attribution of lines that shift down after an insertion", () => {
    expect(owners(chain([text("a", "b", "c"), text("a", "new", "b", "c"), text("a", "new", "b", "c", "d")]))).toEqual([
      ["a", 1],
      ["new", 2],
      ["b", 1],
      ["c", 1],
      ["d", 3],
    ]);
  });

  it("gives a changed line to the changing revision", () => {
    expect(owners(chain([text("a", "b", "c"), text("a", "B", "c")]))).toEqual([
      ["a", 1],
      ["B", 2],
      ["c", 1],
    ]);
  });

  it("tracks each line through several revisions", () => {
    const revisions = chain([
      text("title", "para one", "para two"),
      text("title", "para one", "para two", "para three"),
      text("Title", "para one", "para two", "para three"),
      text("Title", "para one", "para 2", "para three"),
    ]);
    expect(owners(revisions)).toEqual([
      ["Title", 3],
      ["para one", 1],
      ["para 2", 4],
      ["para three", 2],
    ]);
  });

  it("gives a line deleted and later re-added back to the author who wrote it", () => {
    expect(owners(chain([text("a", "b", "c"), text("a", "c"), text("a", "b", "c")]))).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 1],
    ]);
  });

  it("gives lines restored by a revert back to their original authors, not to whoever reverted", () => {
    const original = text("intro", "the good sentence", "outro");
    const vandalised = text("intro", "SPAM SPAM", "outro");
    expect(owners(chain([original, vandalised, original]))).toEqual([
      ["intro", 1],
      ["the good sentence", 1],
      ["outro", 1],
    ]);
    // Several authors' lines, reverted after a vandal replaced them: each keeps its own author.
    const two = text("intro", "the good sentence", "a second author's line", "outro");
    expect(owners(chain([original, two, text("intro", "SPAM", "outro"), two]))).toEqual([
      ["intro", 1],
      ["the good sentence", 1],
      ["a second author's line", 2],
      ["outro", 1],
    ]);
  });

  it("gives a whole page restored after blanking back to its authors", () => {
    expect(owners(chain([text("a", "b"), text("a", "b", "c"), "", text("a", "b", "c")]))).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 2],
    ]);
  });

  it("keeps the author of a moved paragraph, and credits the mover only with what the mover wrote", () => {
    const first = text("# Title", "", "Alpha paragraph by one.", "", "Beta paragraph by one.");
    const second = text("# Title", "", "Alpha paragraph by one.", "", "Beta paragraph by one.", "", "Gamma by two.");
    const moved = text("# Title", "", "Gamma by two.", "", "Alpha paragraph by one.", "", "Beta paragraph by one, edited by three.");
    // (Blank lines are anyone's: left out.)
    expect(owners(chain([first, second, moved])).filter(([line]) => line !== "")).toEqual([
      ["# Title", 1],
      ["Gamma by two.", 2],
      ["Alpha paragraph by one.", 1],
      ["Beta paragraph by one, edited by three.", 3],
    ]);
  });

  it("changes nothing for a revision with identical content (a null edit)", () => {
    expect(owners(chain([text("a", "b"), text("a", "b"), text("a", "b", "c")]))).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 3],
    ]);
  });

  it("ignores line-ending-only changes (CRLF ↔ LF) and final-newline-only changes", () => {
    const revisions = chain(["a\nb\nc\n", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc", "a\nB\nc\n"]);
    expect(owners(revisions)).toEqual([
      ["a", 1],
      ["B", 3],
      ["c", 1],
    ]);
  });

  it("uses a minimal diff, so an inserted paragraph with its blank line costs two lines", () => {
    const before = text("# T", "", "First.", "", "Last.");
    const after = text("# T", "", "First.", "", "Inserted.", "", "Last.");
    const lines = blame(chain([before, after])).lines;
    expect(lines.map((l) => l.text)).toEqual(["# T", "", "First.", "", "Inserted.", "", "Last."]);
    expect(lines.filter((l) => l.revisionId === 2)).toHaveLength(2);
    expect(lines.find((l) => l.text === "Inserted.")?.revisionId).toBe(2);
    expect(lines.find((l) => l.text === "Last.")?.revisionId).toBe(1);
  });

  it("uses the revisions' own ids, whatever their order or spacing", () => {
    expect(owners(chain([text("a"), text("a", "b"), text("a", "b", "c")], [90, 7, 1234]))).toEqual([
      ["a", 90],
      ["b", 7],
      ["c", 1234],
    ]);
  });

  it("returns exactly the newest revision's lines, in order", () => {
    const contents = [text("x", "y", "z"), text("y", "z", "x"), text("z", "", "x", "w"), "w\r\nz\r\n\r\nx"];
    expect(blame(chain(contents)).lines.map((l) => l.text)).toEqual(["w", "z", "", "x"]);
    expect(blame(chain(contents)).lines.map((l) => l.line)).toEqual([1, 2, 3, 4]);
  });
});

describe("blame: limits", () => {
  const history = chain([
    text("a"),
    text("a", "b"),
    text("a", "b", "c"),
    text("a", "b", "c", "d"),
    text("a", "b", "c", "d", "e"),
  ]);

  it("walks all revisions when there are no more than maxRevisions", () => {
    expect(blame(history, { maxRevisions: 5 }).truncated).toBe(false);
    expect(owners(history, { maxRevisions: 5 }).map(([, id]) => id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("summarises older history: lines present in the oldest considered revision are attributed to it", () => {
    const result = blame(history, { maxRevisions: 2 });
    expect(result.truncated).toBe(true);
    expect(result.lines.map((l) => [l.text, l.revisionId])).toEqual([
      ["a", 4],
      ["b", 4],
      ["c", 4],
      ["d", 4],
      ["e", 5],
    ]);
  });

  it("with maxRevisions 1 attributes everything to the newest revision", () => {
    const result = blame(history, { maxRevisions: 1 });
    expect(result.truncated).toBe(true);
    expect(result.lines.every((l) => l.revisionId === 5)).toBe(true);
  });

  it(`defaults maxRevisions to ${DEFAULT_MAX_BLAME_REVISIONS}`, () => {
    const contents = Array.from({ length: DEFAULT_MAX_BLAME_REVISIONS + 2 }, (_, i) =>
      text(...Array.from({ length: i + 1 }, (_, k) => `line ${k}`)),
    );
    const result = blame(chain(contents));
    expect(result.truncated).toBe(true);
    // Revisions 3 … 502 are considered; revision 3 had lines 0–2.
    expect(result.lines.slice(0, 4).map((l) => l.revisionId)).toEqual([3, 3, 3, 4]);
    expect(result.lines.at(-1)?.revisionId).toBe(DEFAULT_MAX_BLAME_REVISIONS + 2);

    expect(blame(chain(contents.slice(0, DEFAULT_MAX_BLAME_REVISIONS))).truncated).toBe(false);
  });

  it("caps the returned lines with maxLines and reports truncation", () => {
    const result = blame(history, { maxLines: 2 });
    expect(result).toEqual({
      truncated: true,
      lines: [
        { line: 1, text: "a", revisionId: 1 },
        { line: 2, text: "b", revisionId: 2 },
      ],
    });
    expect(blame(history, { maxLines: 5 }).truncated).toBe(false);
    expect(blame(history, { maxLines: 0 })).toEqual({ lines: [], truncated: true });
  });

  it.each([
    [{ maxRevisions: 0 }],
    [{ maxRevisions: -1 }],
    [{ maxRevisions: 1.5 }],
    [{ maxRevisions: Number.NaN }],
    [{ maxLines: -1 }],
    [{ maxLines: 2.5 }],
  ])("rejects invalid options %j", (options) => {
    expect(() => blame(history, options)).toThrow(RangeError);
  });
});

describe("blame: large edits (patience-style fallback)", () => {
  const page = (n: number, label = "line") => Array.from({ length: n }, (_, i) => `${label} ${i}`);

  it("keeps attribution of unchanged lines when most of the page is rewritten", () => {
    const before = page(400);
    // Rewrite every line except each tenth: far more than MAX_EXACT_EDIT_LENGTH changes.
    const after = before.map((l, i) => (i % 10 === 0 ? l : `rewritten ${i}`));
    expect(after.filter((l) => l.startsWith("rewritten")).length * 2).toBeGreaterThan(MAX_EXACT_EDIT_LENGTH);
    const lines = blame(chain([text(...before), text(...after)])).lines;
    expect(lines.map((l) => l.text)).toEqual(after);
    for (const l of lines) expect(l.revisionId).toBe(l.text.startsWith("rewritten") ? 2 : 1);
  });

  it("keeps the author of a large moved block (the patience match leaves it unmatched; its text keeps its credit)", () => {
    const before = page(400);
    // Move the first 150 lines to the end: an exact diff needs 300 edits.
    const after = [...before.slice(150), ...before.slice(0, 150)];
    const lines = blame(chain([text(...before), text(...after)])).lines;
    expect(lines.map((l) => l.text)).toEqual(after);
    expect(lines.every((l) => l.revisionId === 1)).toBe(true);
  });

  it("extends matches from unique lines over neighbouring repeated lines such as blank lines", () => {
    const before = page(300).flatMap((l) => [l, ""]);
    const after = before.map((l, i) => (i % 2 === 0 && i % 6 !== 0 ? `${l} (rewritten)` : l));
    const lines = blame(chain([text(...before), text(...after)])).lines;
    expect(lines.map((l) => l.text)).toEqual(after);
    for (const l of lines) {
      if (l.text.endsWith("(rewritten)")) expect(l.revisionId).toBe(2);
      else if (l.text !== "") expect(l.revisionId).toBe(1);
    }
    // The blank line after each kept paragraph is matched through it.
    const blankAfterKept = lines.filter((l, i) => l.text === "" && (i - 1) % 6 === 0);
    expect(blankAfterKept.length).toBeGreaterThan(0);
    expect(blankAfterKept.every((l) => l.revisionId === 1)).toBe(true);
  });

  it("keeps the common start and end exactly even when the middle is rewritten", () => {
    const before = [...page(50, "head"), ...page(300, "old"), ...page(50, "tail")];
    const after = [...page(50, "head"), ...page(300, "new"), ...page(50, "tail")];
    const lines = blame(chain([text(...before), text(...after)])).lines;
    expect(lines.map((l) => l.revisionId)).toEqual([...Array(50).fill(1), ...Array(300).fill(2), ...Array(50).fill(1)]);
  });
});

describe("blameBlocks", () => {
  const line = (n: number, revisionId: number): BlameLine => ({ line: n, text: `t${n}`, revisionId });

  it("returns no blocks for no lines", () => {
    expect(blameBlocks([])).toEqual([]);
  });

  it("groups consecutive lines with the same revision", () => {
    const lines = [line(1, 1), line(2, 1), line(3, 2), line(4, 1), line(5, 1), line(6, 1)];
    expect(blameBlocks(lines)).toEqual([
      { revisionId: 1, startLine: 1, lines: [line(1, 1), line(2, 1)] },
      { revisionId: 2, startLine: 3, lines: [line(3, 2)] },
      { revisionId: 1, startLine: 4, lines: [line(4, 1), line(5, 1), line(6, 1)] },
    ]);
  });

  it("starts a new block at a gap in line numbers", () => {
    expect(blameBlocks([line(1, 1), line(2, 1), line(5, 1)]).map((b) => [b.startLine, b.lines.length])).toEqual([
      [1, 2],
      [5, 1],
    ]);
  });

  it("groups blame output and covers every line exactly once", () => {
    const { lines } = blame(chain([text("a", "b", "c", "d"), text("a", "B", "C", "d", "e")]));
    const blocks = blameBlocks(lines);
    expect(blocks.map((b) => [b.revisionId, b.startLine, b.lines.map((l) => l.text)])).toEqual([
      [1, 1, ["a"]],
      [2, 2, ["B", "C"]],
      [1, 4, ["d"]],
      [2, 5, ["e"]],
    ]);
    expect(blocks.flatMap((b) => b.lines)).toEqual(lines);
  });
});
