import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundSnippet, HIGHLIGHT_END, HIGHLIGHT_START, MAX_SNIPPET_LENGTH } from "@/lib/search/search";
import { CALL_LIMIT_MS, pathologicalText, repeated, timed } from "../../support/pathological";

const marks = fc.constantFrom(HIGHLIGHT_START, HIGHLIGHT_END, "😀", " ", "word");

describe("search snippets", () => {
  it("are bounded in length, keep their beginning, balance highlight marks and never split a surrogate pair", () => {
    fc.assert(
      fc.property(fc.oneof(pathologicalText(), fc.array(fc.oneof(marks, fc.string({ maxLength: 50 })), { maxLength: 300 }).map((p) => p.join(""))), (snippet) => {
        const { value: bounded, ms } = timed(() => boundSnippet(snippet));
        expect(ms).toBeLessThan(CALL_LIMIT_MS);
        expect(bounded.length).toBeLessThanOrEqual(MAX_SNIPPET_LENGTH + 2);
        if (snippet.length <= MAX_SNIPPET_LENGTH) {
          expect(bounded).toBe(snippet);
          return;
        }
        const body = bounded.slice(0, bounded.endsWith(`${HIGHLIGHT_END}…`) ? -2 : -1);
        expect(snippet.startsWith(body)).toBe(true);
        expect(/[\uD800-\uDBFF]$/.test(body)).toBe(false);
        let open = false;
        for (const c of bounded) {
          if (c === HIGHLIGHT_START) open = true;
          else if (c === HIGHLIGHT_END) open = false;
        }
        // A highlight opened in the kept part is closed (marks are not nested: ts_headline writes start, word, end).
        if (bounded.lastIndexOf(HIGHLIGHT_START) > bounded.lastIndexOf(HIGHLIGHT_END)) expect(open).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("cut a 200,000-character highlighted word to a short snippet", () => {
    const snippet = `${HIGHLIGHT_START}${repeated("a")}${HIGHLIGHT_END}`;
    const bounded = boundSnippet(snippet);
    expect(bounded).toBe(`${HIGHLIGHT_START}${"a".repeat(MAX_SNIPPET_LENGTH - 1)}${HIGHLIGHT_END}…`);
  });
});
