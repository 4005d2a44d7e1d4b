import { describe, expect, it } from "vitest";
import { diffFields, diffRevisions, type DiffRow, type RevisionDiff, type WordPart } from "@/lib/wiki/diff";

/** mulberry32: a small seeded PRNG so generated texts are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = (
  "knowledge learning social network community practice tacit explicit wiki page edit revision source " +
  "article concept people share trust story question answer team meeting document archive search tag " +
  "expert novice craft habit tool process policy library culture mentor peer review draft note"
).split(" ");

function sentence(random: () => number): string {
  const words: string[] = [];
  const count = 6 + Math.floor(random() * 10);
  for (let i = 0; i < count; i++) {
    const word = VOCABULARY[Math.floor(random() * VOCABULARY.length)]!;
    words.push(random() < 0.2 ? `${word}${Math.floor(random() * 10_000)}` : word);
  }
  return `${words.join(" ")}.`;
}

function paragraph(random: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) lines.push(`${sentence(random)} ${sentence(random)}`);
  return lines.join("\n");
}

function paragraphs(random: () => number, bytes: number): string[] {
  const result: string[] = [];
  for (let size = 0; size < bytes; ) {
    const next = paragraph(random);
    result.push(next);
    size += next.length + 2;
  }
  return result;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function allRows(diff: RevisionDiff): DiffRow[] {
  return diff.hunks.flatMap((hunk) => hunk.rows);
}

function linesOf(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Check every hunk against both texts: each side's line numbers run on from
 * the hunk's start and name the right lines. With `whole`, the rows must also
 * cover both texts completely.
 */
function expectConsistent(diff: RevisionDiff, oldText: string, newText: string, whole = false): void {
  const oldLines = linesOf(oldText);
  const newLines = linesOf(newText);
  const rebuiltOld: string[] = [];
  const rebuiltNew: string[] = [];
  for (const hunk of diff.hunks) {
    let oldAt = hunk.oldStart;
    let newAt = hunk.newStart;
    for (const row of hunk.rows) {
      // A changed row is a line, or a paragraph of several lines (its texts joined with "\n").
      if (row.kind !== "added") {
        expect(row.oldLine).toBe(oldAt);
        const count = row.kind === "changed" ? row.oldCount : 1;
        const text = row.kind === "changed" ? row.oldText : row.text;
        expect(text).toBe(oldLines.slice(row.oldLine - 1, row.oldLine - 1 + count).join("\n"));
        expect(text.split("\n")).toHaveLength(count);
        rebuiltOld.push(...text.split("\n"));
        oldAt += count;
      }
      if (row.kind !== "removed") {
        expect(row.newLine).toBe(newAt);
        const count = row.kind === "changed" ? row.newCount : 1;
        const text = row.kind === "changed" ? row.newText : row.text;
        expect(text).toBe(newLines.slice(row.newLine - 1, row.newLine - 1 + count).join("\n"));
        expect(text.split("\n")).toHaveLength(count);
        rebuiltNew.push(...text.split("\n"));
        newAt += count;
      }
      if (row.kind === "changed") {
        if (row.oldParts) expect(row.oldParts.map((part) => part.text).join("")).toBe(row.oldText);
        if (row.newParts) expect(row.newParts.map((part) => part.text).join("")).toBe(row.newText);
      }
    }
  }
  if (whole && !diff.identical) {
    expect(rebuiltOld).toEqual(oldLines);
    expect(rebuiltNew).toEqual(newLines);
  }
}

function changedParts(parts: WordPart[] | null): string[] {
  return (parts ?? []).filter((part) => part.type !== "same").map((part) => part.text);
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => `Line ${i + 1} of the page body.`);

describe("diffRevisions", () => {
  it("reports identical texts as identical, with no hunks and no field changes", () => {
    const text = "---\ntitle: Same\nkind: article\n---\n\nBody text.\n";
    expect(diffRevisions(text, text)).toEqual({
      hunks: [],
      stats: { added: 0, removed: 0, changed: 0, moved: 0, rewrapped: 0 },
      fields: [],
      identical: true,
      coarse: null,
    });
  });

  it("treats CRLF vs LF, a byte-order mark and a missing final newline as no difference", () => {
    expect(diffRevisions("one\r\ntwo\r\n", "one\ntwo\n").identical).toBe(true);
    expect(diffRevisions("\uFEFFone\ntwo\n", "one\ntwo\n").identical).toBe(true);
    expect(diffRevisions("one\ntwo", "one\ntwo\n").identical).toBe(true);
    expect(diffRevisions("", "").identical).toBe(true);
  });

  it("marks exactly the changed word inside a changed line", () => {
    const diff = diffRevisions(
      "Intro.\nThe quick brown fox jumps over the lazy dog.\nOutro.\n",
      "Intro.\nThe quick red fox jumps over the lazy dog.\nOutro.\n",
    );
    expect(diff.stats).toEqual({ added: 0, removed: 0, changed: 1, moved: 0, rewrapped: 0 });
    const row = allRows(diff).find((r) => r.kind === "changed");
    expect(row).toMatchObject({ kind: "changed", oldLine: 2, newLine: 2, whitespaceOnly: false });
    if (row?.kind !== "changed") throw new Error("expected a changed row");
    expect(row.oldParts).toEqual([
      { type: "same", text: "The quick " },
      { type: "removed", text: "brown" },
      { type: "same", text: " fox jumps over the lazy dog." },
    ]);
    expect(row.newParts).toEqual([
      { type: "same", text: "The quick " },
      { type: "added", text: "red" },
      { type: "same", text: " fox jumps over the lazy dog." },
    ]);
  });

  it("reports an added line with its new line number and context around it", () => {
    const oldText = "alpha\nbeta\ngamma\n";
    const newText = "alpha\nbeta\ninserted line\ngamma\n";
    const diff = diffRevisions(oldText, newText);
    expect(diff.hunks).toEqual([
      {
        oldStart: 1,
        newStart: 1,
        rows: [
          { kind: "context", oldLine: 1, newLine: 1, text: "alpha" },
          { kind: "context", oldLine: 2, newLine: 2, text: "beta" },
          { kind: "added", newLine: 3, text: "inserted line" },
          { kind: "context", oldLine: 3, newLine: 4, text: "gamma" },
        ],
      },
    ]);
    expect(diff.stats).toEqual({ added: 1, removed: 0, changed: 0, moved: 0, rewrapped: 0 });
  });

  it("reports a removed line with its old line number", () => {
    const diff = diffRevisions("alpha\nbeta\ngamma\n", "alpha\ngamma\n");
    expect(allRows(diff)).toEqual([
      { kind: "context", oldLine: 1, newLine: 1, text: "alpha" },
      { kind: "removed", oldLine: 2, text: "beta" },
      { kind: "context", oldLine: 3, newLine: 2, text: "gamma" },
    ]);
    expect(diff.stats.removed).toBe(1);
  });

  it("flags a change that only touches whitespace", () => {
    const diff = diffRevisions(
      "- item one is here\n- item two is here\n",
      "-   item one is here\n- item two is here   \n",
    );
    const rows = allRows(diff).filter((row) => row.kind === "changed");
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ whitespaceOnly: true });
    const other = allRows(diffRevisions("a tidy line\n", "a tidy line!\n"))[0];
    expect(other).toMatchObject({ kind: "changed", whitespaceOnly: false });
  });

  it("reports a moved paragraph as removed and added rows sharing a moveId", () => {
    const moved = "This paragraph moves to the end of the page.\nIt has a second line as well.";
    const oldText = ["# Title", "", "First paragraph stays put.", "", moved, "", "Third paragraph stays.", "", "Fourth stays too.", ""].join("\n");
    const newText = ["# Title", "", "First paragraph stays put.", "", "Third paragraph stays.", "", "Fourth stays too.", "", moved, ""].join("\n");
    const diff = diffRevisions(oldText, newText);
    const movedRows = allRows(diff).filter(
      (row) => (row.kind === "added" || row.kind === "removed") && moved.split("\n").includes(row.text),
    );
    expect(movedRows).toHaveLength(4);
    const ids = new Set(movedRows.map((row) => (row.kind === "added" || row.kind === "removed" ? row.moveId : -1)));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeGreaterThan(0);
    expect(movedRows.filter((row) => row.kind === "removed")).toHaveLength(2);
    expect(diff.stats.moved).toBe(2);
    expect(diff.stats.changed).toBe(0);
    expectConsistent(diff, oldText, newText);
  });

  it("detects a moved paragraph even when its indentation changed", () => {
    const moved = "A block quote that is long enough to count as moved.";
    const oldText = `${moved}\n\nmiddle one\nmiddle two\n\nend\n`;
    const newText = `middle one\nmiddle two\n\n   ${moved}\n\nend\n`;
    const rows = allRows(diffRevisions(oldText, newText));
    const ids = rows.flatMap((row) => (row.kind !== "context" && row.kind !== "changed" && row.moveId ? [row.moveId] : []));
    expect(ids).toEqual([1, 1]);
  });

  it("does not treat a short repeated line as a moved block", () => {
    const diff = diffRevisions("ok\nfirst body line here\nsecond\n", "first body line here\nsecond\nok\n");
    expect(diff.stats.moved).toBe(0);
    expect(allRows(diff).some((row) => row.kind !== "context" && row.kind !== "changed" && row.moveId)).toBe(false);
  });

  it("gives a dissimilar replacement as removed plus added, not changed", () => {
    const diff = diffRevisions(
      "keep\nKnowledge management stores documents in a central archive.\nkeep too\n",
      "keep\nBananas are yellow; penguins cannot fly at all!\nkeep too\n",
    );
    expect(allRows(diff).map((row) => row.kind)).toEqual(["context", "removed", "added", "context"]);
    expect(diff.stats).toEqual({ added: 1, removed: 1, changed: 0, moved: 0, rewrapped: 0 });
  });

  it("pairs similar lines in order inside a block and leaves the rest unpaired", () => {
    const diff = diffRevisions(
      "start\nThe first sentence talks about tacit knowledge.\nThe second one covers communities of practice.\nend\n",
      "start\nThe first sentence talks about explicit knowledge.\nAn entirely new line about penguins!\nThe second one covers networks of practice.\nend\n",
    );
    expect(allRows(diff).map((row) => [row.kind, "oldLine" in row ? row.oldLine : null, "newLine" in row ? row.newLine : null])).toEqual([
      ["context", 1, 1],
      ["changed", 2, 2],
      ["added", null, 3],
      ["changed", 3, 4],
      ["context", 4, 5],
    ]);
    const [first, second] = allRows(diff).filter((row) => row.kind === "changed");
    expect(first?.kind === "changed" && changedParts(first.oldParts)).toEqual(["tacit"]);
    expect(second?.kind === "changed" && changedParts(second.newParts)).toEqual(["networks"]);
  });

  it("numbers lines correctly in separate and merged hunks with context", () => {
    const old = numbered(30);
    const changed = old.slice();
    changed[4] = "Line 5 of the page body, edited.";
    changed.splice(20, 0, "A brand new line after line twenty.");
    changed[25] = "Line 25 of the page body, edited.";
    const oldText = old.join("\n") + "\n";
    const newText = changed.join("\n") + "\n";
    const diff = diffRevisions(oldText, newText);
    expect(diff.hunks.map((hunk) => [hunk.oldStart, hunk.newStart, hunk.rows.length])).toEqual([
      [2, 2, 7],
      [18, 18, 12],
    ]);
    const second = diff.hunks[1]!;
    expect(second.rows[3]).toEqual({ kind: "added", newLine: 21, text: "A brand new line after line twenty." });
    expect(second.rows[8]).toMatchObject({ kind: "changed", oldLine: 25, newLine: 26 });
    expect(second.rows[11]).toEqual({ kind: "context", oldLine: 28, newLine: 29, text: "Line 28 of the page body." });
    expectConsistent(diff, oldText, newText);

    expect(diffRevisions(oldText, newText, { context: 0 }).hunks.map((hunk) => hunk.rows.length)).toEqual([1, 1, 1]);
    expect(diffRevisions(oldText, newText, { context: Infinity }).hunks).toHaveLength(1);
  });

  it("handles empty texts and text without a trailing newline", () => {
    const added = diffRevisions("", "one\ntwo");
    expect(allRows(added)).toEqual([
      { kind: "added", newLine: 1, text: "one" },
      { kind: "added", newLine: 2, text: "two" },
    ]);
    expect(diffRevisions("one\ntwo\n", "").stats).toEqual({ added: 0, removed: 2, changed: 0, moved: 0, rewrapped: 0 });
    expect(allRows(diffRevisions("one\ntwo", "one\ntwo\nthree"))).toEqual([
      { kind: "context", oldLine: 1, newLine: 1, text: "one" },
      { kind: "context", oldLine: 2, newLine: 2, text: "two" },
      { kind: "added", newLine: 3, text: "three" },
    ]);
  });

  it("normalises CRLF before diffing a real change", () => {
    const diff = diffRevisions("first\r\nsecond line here\r\nthird\r\n", "first\nsecond line there\nthird\n");
    expect(allRows(diff)).toEqual([
      { kind: "context", oldLine: 1, newLine: 1, text: "first" },
      expect.objectContaining({ kind: "changed", oldText: "second line here", newText: "second line there" }),
      { kind: "context", oldLine: 3, newLine: 3, text: "third" },
    ]);
  });

  it("diffs Unicode by whole words and never splits a surrogate pair", () => {
    const cyrillic = allRows(diffRevisions("Привет добрый мир\n", "Привет злой мир\n"))[0];
    expect(cyrillic?.kind === "changed" && changedParts(cyrillic.oldParts)).toEqual(["добрый"]);
    expect(cyrillic?.kind === "changed" && changedParts(cyrillic.newParts)).toEqual(["злой"]);
    const emoji = allRows(diffRevisions("Great work 😀 team\n", "Great work 😃 team\n"))[0];
    expect(emoji?.kind === "changed" && changedParts(emoji.oldParts)).toEqual(["😀"]);
    expect(emoji?.kind === "changed" && changedParts(emoji.newParts)).toEqual(["😃"]);
    const han = allRows(diffRevisions("知识管理很重要\n", "知识共享很重要\n"))[0];
    expect(han?.kind === "changed" && changedParts(han.newParts)).toEqual(["共享"]);
  });

  it("marks only the changed word inside a line over 10,000 characters (compared sentence by sentence first)", () => {
    const random = prng(7);
    let long = "";
    while (long.length < 12_000) long += `${sentence(random)} `;
    const edited = long.replace(/\S+/, "CHANGED");
    const diff = diffRevisions(`head\n${long}\ntail\n`, `head\n${edited}\ntail\n`);
    const row = allRows(diff)[1];
    expect(row).toMatchObject({ kind: "changed", whitespaceOnly: false });
    if (row?.kind !== "changed") throw new Error("expected a changed row");
    expect(changedParts(row.oldParts)).toEqual([long.split(" ")[0]]);
    expect(changedParts(row.newParts)).toEqual(["CHANGED"]);
    // An edit in the middle of a 1 MB line: one sentence's word, not the whole line.
    const huge = paragraphs(prng(8), 1_000_000).join(" ").replaceAll("\n", " ");
    const middle = huge.indexOf(" ", huge.length / 2);
    const hugeEdited = `${huge.slice(0, middle)} inserted${huge.slice(middle)}`;
    const hugeRow = allRows(diffRevisions(`${huge}\n`, `${hugeEdited}\n`))[0];
    expect(hugeRow?.kind === "changed" && changedParts(hugeRow.newParts)).toEqual(["inserted"]);
    expect(hugeRow?.kind === "changed" && changedParts(hugeRow.oldParts)).toEqual([]);
  });

  it("fills structured field changes from the front matter", () => {
    const oldText = "---\ntitle: Adoption\nkind: difference\nsummary: How it spreads.\ndimension: Adoption\ntkm: Mandated.\nsl: Invited.\ntags: [adoption, tools]\n---\n\nBody.\n";
    const newText = "---\ntitle: Adoption\nkind: difference\nsummary: How it spreads.\ndimension: Adoption\ntkm: Mandated.\nsl: Chosen by peers.\ntags: [adoption, culture]\n---\n\nBody.\n";
    expect(diffRevisions(oldText, newText).fields).toEqual([
      { field: "sl", label: "SL side", before: "Invited.", after: "Chosen by peers." },
      { field: "tags", label: "Tags", before: ["adoption", "tools"], after: ["adoption", "culture"] },
    ]);
    expect(diffRevisions(oldText, newText.replace("tags: [", "tags: [[")).fields).toEqual([]);
  });

  it("budget fallback: with a 1 ms budget a 200 KB rewrite degrades to a coarse diff that still covers every line", () => {
    const random = prng(42);
    const base = paragraphs(random, 200_000);
    const rewritten = shuffle(
      base.map((p) => (random() < 0.3 ? paragraph(random) : p)),
      random,
    );
    const oldText = base.join("\n\n") + "\n";
    const newText = rewritten.join("\n\n") + "\n";
    const diff = diffRevisions(oldText, newText, { budgetMs: 1, context: Infinity });
    expect(diff.coarse).not.toBeNull();
    expect(diff.coarse?.reason).toMatch(/\w/);
    expect(diff.identical).toBe(false);
    expectConsistent(diff, oldText, newText, true);
    const rows = allRows(diff);
    expect(rows.some((row) => row.kind === "changed")).toBe(false);
  });

  it("budget fallback: a paragraph-level view still reports moved paragraphs", () => {
    const random = prng(3);
    const base = paragraphs(random, 1_000_000).map((p) => p.replace(/\n/g, " "));
    const oldText = base.join("\n") + "\n";
    const newText = shuffle(base, random).join("\n") + "\n";
    const diff = diffRevisions(oldText, newText, { context: Infinity });
    expect(diff.coarse?.reason).toMatch(/paragraph/);
    expect(diff.stats.moved).toBeGreaterThan(base.length / 2);
    expectConsistent(diff, oldText, newText, true);
  });

  it("a 1 MB random rewrite with the default budget returns within 2 s and accounts for every line", () => {
    const random = prng(2024);
    const base = paragraphs(random, 1_000_000);
    const rewritten = shuffle(
      base.map((p) => (random() < 0.5 ? paragraph(random) : p)),
      random,
    );
    const oldText = `---\ntitle: Big\nkind: article\n---\n\n${base.join("\n\n")}\n`;
    const newText = `---\ntitle: Bigger\nkind: article\n---\n\n${rewritten.join("\n\n")}\n`;
    const started = performance.now();
    const diff = diffRevisions(oldText, newText, { context: Infinity });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(diff.fields).toEqual([{ field: "title", label: "Title", before: "Big", after: "Bigger" }]);
    expectConsistent(diff, oldText, newText, true);
  });

  it("keeps hunks consistent with both texts across many random edits", () => {
    const random = prng(99);
    for (let round = 0; round < 40; round++) {
      const base = paragraphs(random, 2_000);
      const edited = base.flatMap((p): string[] => {
        const roll = random();
        if (roll < 0.1) return [];
        if (roll < 0.2) return [p, paragraph(random)];
        if (roll < 0.35) return [p.replace(/\b\w+\b/, "EDITED")];
        if (roll < 0.4) return [`  ${p}  `];
        return [p];
      });
      const moved = edited.length > 3 && random() < 0.5 ? [...edited.slice(1), edited[0]!] : edited;
      const oldText = base.join("\n\n");
      const newText = moved.join("\n\n") + (random() < 0.5 ? "\n" : "");
      const diff = diffRevisions(oldText, newText, { context: round % 2 ? 3 : Infinity });
      expectConsistent(diff, oldText, newText, round % 2 === 0);
      expect(diff.coarse).toBeNull();
      const rows = allRows(diff);
      const count = (kind: DiffRow["kind"], moved: boolean) =>
        rows.filter((row) => row.kind === kind && (row.kind === "added" || row.kind === "removed") && Boolean(row.moveId) === moved).length;
      expect(diff.stats.added).toBe(count("added", false));
      expect(diff.stats.removed).toBe(count("removed", false));
      expect(diff.stats.moved).toBe(count("added", true));
      expect(count("removed", true)).toBe(count("added", true));
    }
  });

  it("degrades to the whole changed region when there is no budget at all", () => {
    const oldText = "same\nold one\nmiddle\nold two\nsame end\n";
    const newText = "same\nnew one\nmiddle\nnew two\nsame end\n";
    const diff = diffRevisions(oldText, newText, { budgetMs: 0 });
    expect(diff.coarse).not.toBeNull();
    expect(allRows(diff).map((row) => row.kind)).toEqual(["context", "removed", "removed", "removed", "added", "added", "added", "context"]);
    expectConsistent(diff, oldText, newText);
    expect(diffRevisions(oldText, newText).coarse).toBeNull();
  });
});

describe("diffFields", () => {
  it("lists changed fields with human labels and leaves unchanged ones out", () => {
    const before = {
      title: "Adoption",
      kind: "difference",
      summary: "How it spreads.",
      dimension: "Adoption",
      tkm: "Mandated.",
      sl: "Invited.",
      tags: ["adoption", "tools"],
      sources: [{ title: "A book", year: 2001 }],
      extra: 1,
    };
    const after = {
      ...before,
      sl: "Chosen by peers.",
      tags: ["adoption", "culture"],
      sources: [{ year: 2001, title: "A book" }],
      extra: 2,
    };
    expect(diffFields(before, after)).toEqual([
      { field: "sl", label: "SL side", before: "Invited.", after: "Chosen by peers." },
      { field: "tags", label: "Tags", before: ["adoption", "tools"], after: ["adoption", "culture"] },
      { field: "extra", label: "extra", before: 1, after: 2 },
    ]);
  });

  it("labels every known field and reports added and removed fields", () => {
    const changes = diffFields(
      { title: "A", kind: "concept", summary: "S", dimension: "D", tkm: "T", sl: "L", tags: [], sources: ["x"] },
      { title: "B", kind: "article", summary: "S2", dimension: "D2", tkm: "T2", sl: "L2", tags: ["t"], constructor: "c" },
    );
    expect(changes.map((change) => change.label)).toEqual([
      "Title",
      "Kind",
      "Summary",
      "Dimension",
      "TKM side",
      "SL side",
      "Tags",
      "Sources",
      "constructor",
    ]);
    expect(changes.find((change) => change.field === "sources")).toEqual({ field: "sources", label: "Sources", before: ["x"], after: undefined });
    expect(diffFields({ tags: ["a", "b"] }, { tags: ["b", "a"] })).toHaveLength(1);
    expect(diffFields({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toEqual([]);
  });
});
