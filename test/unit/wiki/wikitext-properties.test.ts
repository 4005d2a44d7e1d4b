import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTitle, tryParseTitle } from "@/lib/wikitext/title";
import { extractLinkTargets, findWikiLinks } from "@/lib/wikitext/wikilink";
import { CALL_LIMIT_MS, pathologicalText, repeated, timed } from "../../support/pathological";

const FORBIDDEN = /[#<>[\]|{}]/;

describe("titles on pathological input", () => {
  it("parse to themselves: a parsed title (and its slug) parses to the same title", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), pathologicalText(400)), (raw) => {
        const { value: title, ms } = timed(() => tryParseTitle(raw));
        expect(ms).toBeLessThan(CALL_LIMIT_MS);
        if (title === null) return;
        expect(parseTitle(title.title)).toEqual(title);
        expect(parseTitle(title.slug)).toEqual(title);
        expect(title.slug).not.toContain(" ");
        expect(title.title).not.toMatch(FORBIDDEN);
        expect(title.title).toBe(title.title.trim());
        expect(Buffer.byteLength(title.title, "utf8")).toBeLessThanOrEqual(255);
      }),
      { numRuns: 1_000 },
    );
  });

  it.each([" ", "_", "\u3000", "a ", "é", "😀"])("refuse or parse 200,000 characters of %j within the per-call limit", (unit) => {
    expect(timed(() => tryParseTitle(repeated(unit))).ms).toBeLessThan(CALL_LIMIT_MS);
  });
});

describe("wiki links on pathological input", () => {
  it("are found in bounded time; each is a [[…]] span of the text whose target parses to itself", () => {
    fc.assert(
      fc.property(pathologicalText(), (text) => {
        const { value: links, ms } = timed(() => findWikiLinks(text));
        expect(ms).toBeLessThan(CALL_LIMIT_MS);
        let end = 0;
        for (const found of links) {
          expect(found.index).toBeGreaterThanOrEqual(end);
          end = found.index + found.length;
          expect(text.slice(found.index, end)).toBe(found.raw);
          expect(found.raw.startsWith("[[") && found.raw.endsWith("]]")).toBe(true);
          if (found.link) expect(parseTitle(found.link.target.title)).toEqual(found.link.target);
        }
        expect(timed(() => extractLinkTargets(text)).ms).toBeLessThan(CALL_LIMIT_MS);
      }),
      { numRuns: 40 },
    );
  });

  it.each(["[[", "]]", "|", "[[a|", "[[a", "```\n", "`", "[[" + "a".repeat(254)])("scan 200,000 characters of %j within the per-call limit", (unit) => {
    const text = repeated(unit);
    expect(timed(() => findWikiLinks(text)).ms).toBeLessThan(CALL_LIMIT_MS);
    expect(timed(() => extractLinkTargets(text)).ms).toBeLessThan(CALL_LIMIT_MS);
  });
});
