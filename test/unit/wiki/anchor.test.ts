import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { carryAnchor, carryAnchors, findQuote, locateQuote, quoteAt, SEARCH_CELLS_PER_PASSAGE, TextChanges, type Resolution } from "@/lib/wiki/anchor";

// Re-anchoring (lib/wiki/anchor.ts): a resolved passage covers exactly the words it
// quoted ("anchored"), words close to them near where they were ("fuzzy"), or nothing.

function anchorIn(text: string, start: number, end: number) {
  const quote = quoteAt(text, start, end);
  const from: Resolution = { status: "anchored", start, end, confidence: 1 };
  return { quote, carry: (next: string) => carryAnchor(new TextChanges(text, next), quote, from) };
}

const base =
  "Knowledge management stores what experts know.\nSocial learning happens in conversation between peers.\nThe nursery raises seedlings; the garden lets them grow.\n";
const passage = "happens in conversation";
const at = base.indexOf(passage);

describe("carrying an anchor to a new revision", () => {
  it("keeps the exact words, moved, after an edit before them", () => {
    const { carry } = anchorIn(base, at, at + passage.length);
    const next = base.replace("Knowledge management", "Traditional knowledge management");
    const r = carry(next);
    expect(r).toMatchObject({ status: "anchored", confidence: 1 });
    if (r.status !== "orphaned") expect(next.slice(r.start, r.end)).toBe(passage);
  });

  it("is unchanged by edits after the passage or insertions right at its edges", () => {
    const { carry } = anchorIn(base, at, at + passage.length);
    const next = base.slice(0, at) + "[" + passage + "]" + base.slice(at + passage.length).replace("garden", "open garden");
    const r = carry(next);
    expect(r.status).toBe("anchored");
    if (r.status !== "orphaned") expect(r.start).toBe(at + 1);
  });

  it("finds a rewritten passage approximately, with less than full confidence", () => {
    const { carry } = anchorIn(base, at, at + passage.length);
    const next = base.replace(passage, "happens in  conversation");
    const r = carry(next);
    expect(r.status).toBe("fuzzy");
    if (r.status === "fuzzy") {
      expect(r.confidence).toBeLessThan(1);
      expect(r.confidence).toBeGreaterThan(0.7);
      expect(next.slice(r.start, r.end)).toBe("happens in  conversation");
    }
  });

  it("finds a moved passage by its words", () => {
    const { carry } = anchorIn(base, at, at + passage.length);
    const lines = base.split("\n");
    const next = [lines[2], lines[0], lines[1], ""].join("\n");
    const r = carry(next);
    expect(r.status).toBe("anchored");
    if (r.status !== "orphaned") expect(next.slice(r.start, r.end)).toBe(passage);
  });

  it("orphans a deleted passage rather than pointing at other words", () => {
    const { carry } = anchorIn(base, at, at + passage.length);
    expect(carry(base.replace("Social learning happens in conversation between peers.\n", "")).status).toBe("orphaned");
    expect(carry(base.replace(passage, "is a matter of practice")).status).toBe("orphaned");
  });

  it("never moves a short quote to another occurrence without its context", () => {
    const text = "the cat sat on the mat\nand the dog lay by the door\n";
    const start = text.indexOf("the dog");
    const { carry } = anchorIn(text, start, start + 3);
    const r = carry(text.replace("and the dog lay by the door", "then a bird flew off"));
    expect(r.status).toBe("orphaned");
  });

  it("never moves a rewritten passage onto a twin sentence the edit did not touch (another side's claim, not the passage)", () => {
    const text = "The TKM side says tools are chosen.\n\nThe SL side says tools are chosen.\n";
    const start = text.lastIndexOf("tools are chosen");
    const { carry } = anchorIn(text, start, start + "tools are chosen".length);
    expect(carry(text.replace("The SL side says tools are chosen.", "The SL side says people choose freely."))).toEqual({ status: "orphaned", confidence: 0 });
    const long = "Alice wrote that knowledge lives in repositories of documents.\n\nBob wrote that knowledge lives in repositories of documents.\n";
    const quoted = "knowledge lives in repositories of documents";
    const bob = long.lastIndexOf(quoted);
    const alice = anchorIn(long, bob, bob + quoted.length);
    expect(alice.carry(long.replace("Bob wrote that knowledge lives in repositories of documents.", "Bob wrote something else.")).status).toBe("orphaned");
    // Once orphaned, a later edit elsewhere does not pick the twin up either; the passage's own words coming back do.
    const gone = long.replace("Bob wrote that knowledge lives in repositories of documents.", "Bob wrote something else.");
    const orphan = quoteAt(long, bob, bob + quoted.length);
    expect(carryAnchor(new TextChanges(gone, `Intro.\n${gone}`), orphan, { status: "orphaned", confidence: 0 }).status).toBe("orphaned");
    const back = carryAnchor(new TextChanges(gone, long), orphan, { status: "orphaned", confidence: 0 });
    expect(back).toMatchObject({ status: "anchored", start: bob });
  });

  it("looks an orphaned passage up again by its quote when it comes back", () => {
    const quote = quoteAt(base, at, at + passage.length);
    const r = carryAnchor(new TextChanges("", base), quote, { status: "orphaned", confidence: 0 });
    expect(r).toMatchObject({ status: "anchored", start: at });
  });
});

describe("locating a reader's selection", () => {
  it("takes the position when the words are there, otherwise their occurrence by context", () => {
    const quote = quoteAt(base, at, at + passage.length);
    expect(locateQuote(base, quote, at)).toEqual({ start: at, end: at + passage.length });
    expect(locateQuote(base, quote, at + 3)).toEqual({ start: at, end: at + passage.length });
    expect(locateQuote(base, { ...quote, exact: "not on the page at all" }, at)).toBeNull();
  });

  it("refuses an empty or oversized quote", () => {
    expect(findQuote(base, { exact: "", prefix: "", suffix: "" }, 0).status).toBe("orphaned");
    expect(locateQuote(base, { exact: "x".repeat(2001), prefix: "", suffix: "" }, 0)).toBeNull();
  });

  it("checks a new thread's quote exactly, without an approximate search on the request's thread (a near miss over repetitive text)", () => {
    const text = "ab ".repeat(85_000);
    const nearMiss = { exact: `${"ab ".repeat(600)}zz${"ab ".repeat(60)}`, prefix: "", suffix: "" };
    const began = performance.now();
    expect(locateQuote(text, nearMiss, 120_000)).toBeNull();
    // An approximate search of it took seconds (thousands of equally good matches, each traced back over the quote).
    expect(performance.now() - began).toBeLessThan(200);
  });

  it("looks for the exact words in time linear in the page (a near miss over a page of one letter)", () => {
    const text = "a".repeat(1_000_000);
    const nearMiss = { exact: `${"a".repeat(1000)}b${"a".repeat(999)}`, prefix: "", suffix: "" };
    const began = performance.now();
    expect(locateQuote(text, nearMiss, 0)).toBeNull();
    // String.prototype.indexOf compared about a thousand characters at each of the million places (0.4 s).
    expect(performance.now() - began).toBeLessThan(150);
  });
});

// Hostile periodic pages: a 2,000-character quote around the one odd character, which the edit changes.
const put = (text: string, at: number, inserted: string, cut = 1) => text.slice(0, at) + inserted + text.slice(at + cut);
const periodic = {
  "one letter": "a".repeat(100_000),
  "two letters": "ab".repeat(50_000),
  "a word repeated": "a a ".repeat(25_000),
  "a sentence repeated": "The garden lets the plants grow wild and strong. ".repeat(2000),
};

describe("bounded approximate search", () => {
  it("finds a lightly edited long passage on periodic text with a bounded amount of work, over exactly the edited passage", () => {
    let elapsed = 0;
    for (const [name, page] of Object.entries(periodic)) {
      for (const [length, replacement] of [
        [2000, "R"],
        [2000, "RRRR"],
        [2000, ""],
        [120, "R"],
        [40, "R"],
      ] as const) {
        const odd = 51_001;
        const before = put(page, odd, "Q");
        const start = odd - length / 2;
        const end = start + length;
        const after = put(before, odd, replacement);
        const budget = { cells: 1e12 };
        const began = performance.now();
        const r = carryAnchor(new TextChanges(before, after), quoteAt(before, start, end), { status: "anchored", start, end, confidence: 1 }, budget);
        elapsed += performance.now() - began;
        // Work counted in cells (a character compared with a character): one passage never needs more than its budget.
        expect(1e12 - budget.cells, `${name}, ${length}`).toBeLessThanOrEqual(SEARCH_CELLS_PER_PASSAGE);
        // Periodic text matches everywhere; the place taken is the edited passage itself, give or take a character.
        expect(r.status, `${name}, ${length}`).toBe("fuzzy");
        if (r.status === "fuzzy") {
          expect(Math.abs(r.start - start), `${name}, ${length}`).toBeLessThanOrEqual(1);
          // Where a run of one letter gained letters, which of them the quote's end takes is a tie.
          expect(Math.abs(r.end - (end + replacement.length - 1)), `${name}, ${length}`).toBeLessThanOrEqual(Math.max(1, replacement.length));
        }
      }
    }
    // 20 searches; before the search was bounded the first alone took 3.7 s.
    expect(elapsed).toBeLessThan(3000);
  });

  it("shares one budget between a job's passages: past it the rest are unplaced, never placed elsewhere", () => {
    const before = put(periodic["one letter"], 51_000, "Q");
    const after = put(before, 51_000, "R");
    const items = Array.from({ length: 60 }, (_, i) => {
      const start = 50_000 + i * 10;
      return { quote: quoteAt(before, start, start + 1990), from: { status: "anchored", start, end: start + 1990, confidence: 1 } as Resolution, start };
    });
    const budget = { cells: 4 * SEARCH_CELLS_PER_PASSAGE };
    const results = carryAnchors(before, after, items, budget);
    // The budget runs out part of the way: at most one passage's search past it.
    expect(budget.cells).toBeGreaterThan(-SEARCH_CELLS_PER_PASSAGE);
    const unplaced = results.filter((r) => r.status === "orphaned" && r.unplaced);
    expect(unplaced.length).toBeGreaterThan(0);
    expect(results.slice(-unplaced.length).every((r) => r.status === "orphaned" && r.unplaced)).toBe(true);
    results.forEach((r, i) => {
      if (r.status === "orphaned") return;
      expect(r.status).toBe("fuzzy");
      expect(Math.abs(r.start - items[i]!.start)).toBeLessThanOrEqual(1);
    });
  });

  it("gives up rather than guess when the budget is spent", () => {
    const before = put(periodic["two letters"], 51_000, "Q");
    const after = put(before, 51_000, "R");
    const r = findQuote(after, quoteAt(before, 50_000, 52_000), 50_000, { budget: { cells: 1000 } });
    expect(r).toEqual({ status: "orphaned", confidence: 0, unplaced: true });
  });
});

// Property tests. Texts are lowercase words; inserted text is digits, which no passage holds,
// so where the passage must be after an edit is known.
// The passage's words use other letters than the text around it: which words an edit kept is then never ambiguous
// (in "a a a a", inserting beside the second "a a" and beside the first are the same edit).
const wordOf = (letters: string) => fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 9 });
const wordsOf = (letters: string, min: number, max: number) => fc.array(wordOf(letters), { minLength: min, maxLength: max }).map((w) => w.join(" "));
const words = (min: number, max: number) => wordsOf("abcdefghijklm", min, max);
const lines = (min: number, max: number) => fc.array(words(1, 12), { minLength: min, maxLength: max }).map((l) => l.join("\n"));
const digits = fc.string({ unit: fc.constantFrom(..."0123456789 \n"), minLength: 1, maxLength: 40 });

const setting = fc.record({ before: lines(0, 8), passage: wordsOf("nopqrstuvwxyz", 3, 10), after: lines(0, 8) }).map(({ before, passage, after }) => {
  const text = `${before} ${passage} ${after}`;
  const start = before.length + 1;
  return { text, start, end: start + passage.length, passage };
});

function expectCovers(r: Resolution, next: string, exact: string) {
  if (r.status === "anchored") expect(next.slice(r.start, r.end)).toBe(exact);
}

describe("re-anchoring properties", () => {
  it("an edit before the passage moves it exactly", () => {
    fc.assert(
      fc.property(setting, fc.nat(), fc.nat({ max: 30 }), digits, ({ text, start, end, passage }, where, cut, inserted) => {
        const at = where % (start + 1);
        const removed = Math.min(cut, start - at);
        const next = text.slice(0, at) + inserted + text.slice(at + removed);
        const r = anchorIn(text, start, end).carry(next);
        expect(r.status).toBe("anchored");
        expectCovers(r, next, passage);
        if (r.status === "anchored") expect(Math.abs(r.start - (start + inserted.length - removed))).toBeLessThanOrEqual(removed);
      }),
    );
  });

  it("an edit after the passage leaves it where it was", () => {
    fc.assert(
      fc.property(setting, fc.nat(), fc.nat({ max: 30 }), digits, ({ text, start, end, passage }, where, cut, inserted) => {
        const at = end + (where % (text.length - end + 1));
        const next = text.slice(0, at) + inserted + text.slice(at + cut);
        const r = anchorIn(text, start, end).carry(next);
        expect(r.status).toBe("anchored");
        expectCovers(r, next, passage);
        if (r.status === "anchored") expect(r.start).toBe(start);
      }),
    );
  });

  it("insertions around the passage (at its edges) keep the exact words", () => {
    fc.assert(
      fc.property(setting, digits.map((d) => ` ${d} `), digits.map((d) => ` ${d} `), ({ text, start, end, passage }, left, right) => {
        const next = text.slice(0, start) + left + passage + right + text.slice(end);
        const r = anchorIn(text, start, end).carry(next);
        expect(r).toMatchObject({ status: "anchored", start: start + left.length, end: start + left.length + passage.length });
      }),
    );
  });

  it("an edit inside the passage gives a fuzzy match over the edited passage, or an orphan, never other words", () => {
    fc.assert(
      fc.property(setting, fc.nat(), fc.nat({ max: 6 }), digits, ({ text, start, end, passage }, where, cut, inserted) => {
        const at = start + 1 + (where % Math.max(1, passage.length - 1));
        const removed = Math.min(cut, end - at);
        if (removed === 0 && at >= end) return;
        const next = text.slice(0, at) + inserted + text.slice(at + removed);
        const r = anchorIn(text, start, end).carry(next);
        expectCovers(r, next, passage);
        if (r.status === "fuzzy") {
          // Overlaps where the edited passage now is.
          expect(r.start).toBeLessThan(end + inserted.length - removed);
          expect(r.end).toBeGreaterThan(start);
          expect(r.confidence).toBeLessThan(1);
        }
      }),
    );
  });

  it("a deleted passage is orphaned", () => {
    fc.assert(
      fc.property(setting, digits, ({ text, start, end }, inserted) => {
        const next = text.slice(0, start) + inserted + text.slice(end);
        const r = anchorIn(text, start, end).carry(next);
        // Only when the same words happen to be elsewhere may it stay; then they are exactly those words.
        if (r.status !== "orphaned") expect(next.slice(r.start, r.end)).toBe(text.slice(start, end));
        if (!next.includes(text.slice(start, end)) && r.status === "anchored") throw new Error("anchored to words that are gone");
      }),
    );
  });

  it("any random edits: anchored means exactly the quoted words, and a chain of revisions agrees", () => {
    const edit = fc.record({ where: fc.nat(), cut: fc.nat({ max: 40 }), inserted: fc.oneof(digits, words(1, 4)) });
    fc.assert(
      fc.property(setting, fc.array(edit, { maxLength: 6 }), ({ text, start, end, passage }, edits) => {
        const quote = quoteAt(text, start, end);
        let current = text;
        let resolution: Resolution = { status: "anchored", start, end, confidence: 1 };
        for (const e of edits) {
          const at = e.where % (current.length + 1);
          const next = current.slice(0, at) + e.inserted + current.slice(at + e.cut);
          resolution = carryAnchor(new TextChanges(current, next), quote, resolution);
          expectCovers(resolution, next, passage);
          if (resolution.status === "fuzzy") expect(resolution.confidence).toBeGreaterThanOrEqual(0.6);
          current = next;
        }
      }),
    );
  });
});

describe("bounded work", () => {
  it("maps 100 passages of a 100 KB text through one edit quickly, comparing the texts once", () => {
    const paragraph = (i: number) => `Paragraph ${i} says something about knowledge and learning number ${i * 7919}.`;
    const text = Array.from({ length: 1400 }, (_, i) => paragraph(i)).join("\n");
    expect(text.length).toBeGreaterThan(100_000);
    const next = text.replace(paragraph(700), paragraph(700) + " An added sentence.");
    const began = performance.now();
    const changes = new TextChanges(text, next);
    for (let i = 0; i < 100; i++) {
      const start = text.indexOf(paragraph(i * 13));
      const r = carryAnchor(changes, quoteAt(text, start, start + 40), { status: "anchored", start, end: start + 40, confidence: 1 });
      expect(r.status).toBe("anchored");
    }
    expect(performance.now() - began).toBeLessThan(500);
  });
});
