import { describe, expect, it } from "vitest";
import { carryAnchors, quoteAt, SEARCH_CELLS_PER_JOB, SEARCH_CELLS_PER_PASSAGE, type Resolution } from "@/lib/wiki/anchor";

// Adversary pass (issue 20, second round): a job's search budget is shared by its passages. Spent in order, two
// accounts' 40 threads about long passages of periodic text (20 each, within the per-author cap) spent all of it, and
// every passage after them that needed a search was left unplaced on each new revision, however cheap its own search.

const put = (text: string, at: number, inserted: string, cut = 1) => text.slice(0, at) + inserted + text.slice(at + cut);
const anchored = (start: number, end: number): Resolution => ({ status: "anchored", start, end, confidence: 1 });

describe("a job's search budget", () => {
  it("still places a cheap passage listed after many costly ones, and stays within the job's budget", () => {
    const legit = "Howard Johnson wrote that social learning grows in conversation between peers, not in a repository.";
    const before = put("a".repeat(100_000), 51_000, "Q") + "\n\n" + legit + "\n";
    const after = put(before, 51_000, "R").replace("conversation between peers", "conversations between peers");
    const costly = Array.from({ length: 40 }, (_, i) => {
      const start = 50_000 + i * 10;
      return { quote: quoteAt(before, start, start + 1990), from: anchored(start, start + 1990) };
    });
    const at = before.indexOf(legit);
    const budget = { cells: SEARCH_CELLS_PER_JOB };
    const results = carryAnchors(before, after, [...costly, { quote: quoteAt(before, at, at + legit.length), from: anchored(at, at + legit.length) }], budget);
    const mine = results.at(-1)!;
    expect(mine.status).toBe("fuzzy");
    if (mine.status === "fuzzy") expect(after.slice(mine.start, mine.end)).toBe(legit.replace("conversation between", "conversations between"));
    // Costly ones are still searched, in order, until the budget is spent; never placed elsewhere.
    expect(budget.cells).toBeGreaterThan(-SEARCH_CELLS_PER_PASSAGE);
    expect(results.some((r) => r.status === "orphaned" && r.unplaced)).toBe(true);
    results.slice(0, -1).forEach((r, i) => {
      if (r.status !== "orphaned") expect(Math.abs(r.start - (50_000 + i * 10))).toBeLessThanOrEqual(1);
    });
  });
});

describe("a job's search budget, at its worst", () => {
  it("500 passages whose every search step is costly (128-character quotes over one letter) overspend the job's budget by one step at most", () => {
    const before = put("a".repeat(100_000), 51_000, "Q");
    const after = put(before, 51_000, "R");
    const items = Array.from({ length: 500 }, (_, i) => {
      const start = 50_940 + (i % 100);
      return { quote: quoteAt(before, start, start + 128), from: anchored(start, start + 128) };
    });
    const budget = { cells: SEARCH_CELLS_PER_JOB };
    const began = performance.now();
    const results = carryAnchors(before, after, items, budget);
    const elapsed = performance.now() - began;
    expect(budget.cells).toBeGreaterThan(-SEARCH_CELLS_PER_PASSAGE);
    expect(results.filter((r) => r.status === "orphaned" && r.unplaced).length).toBeGreaterThan(0);
    // About a second of work on a quiet core; generous for a loaded machine.
    expect(elapsed).toBeLessThan(10_000);
  });
});
