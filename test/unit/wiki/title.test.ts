import { describe, expect, it } from "vitest";
import { pagePath, parseTitle, TitleError, tryParseTitle } from "@/lib/wiki/title";

describe("parseTitle", () => {
  it("refuses the replacement character, what a broken %-escape decodes to (adversary pass)", () => {
    expect(() => parseTitle(new URLSearchParams("title=%ED%A0%80").get("title")!)).toThrow(TitleError);
    expect(() => parseTitle("Garden \uFFFD notes")).toThrow("replacement character");
  });

  it("turns underscores and runs of spaces into single spaces and upper-cases the first letter", () => {
    expect(parseTitle("  one__tool   or_many ")).toEqual({ title: "One tool or many", slug: "One_tool_or_many" });
  });

  it("normalises Unicode to NFC so composed and decomposed forms name one page", () => {
    const decomposed = "Cafe\u0301 culture";
    expect(parseTitle(decomposed).title).toBe("Caf\u00e9 culture");
    expect(parseTitle(decomposed).slug).toBe(parseTitle("Caf\u00e9_culture").slug);
  });

  it("upper-cases a non-ASCII first letter", () => {
    expect(parseTitle("éducation").title).toBe("Éducation");
  });

  it.each(["", "   ", "a|b", "a#b", "[[x]]", "a{b}", "x\u0000y", "/etc", "a/../b"])("refuses the unusable title %j", (raw) => {
    expect(tryParseTitle(raw)).toBeNull();
    expect(() => parseTitle(raw)).toThrow();
  });

  it("refuses titles over 255 bytes", () => {
    expect(tryParseTitle("x".repeat(256))).toBeNull();
    expect(tryParseTitle("x".repeat(255))?.title).toHaveLength(255);
  });

  it("builds readable paths, encoding only what must be encoded", () => {
    expect(pagePath("One_tool_or_many")).toBe("/wiki/One_tool_or_many");
    expect(pagePath("Caf\u00e9")).toBe("/wiki/Caf%C3%A9");
    expect(pagePath("A?b", "/edit")).toBe("/wiki/A%3Fb/edit");
  });
});

describe("first letters whose capital is unusual", () => {
  // All-Greek: "ΐota" (Greek with Latin) is now refused as a mixed-script look-alike (test/unit/wikitext/confusables.test.ts).
  it.each(["ΐώτα", "ǅungla", "ßtraße", "ﬀ ligature", "ŉ apostrophe", "i̇stanbul"])("%s parses to a title that parses to itself (NFC, stable)", (raw) => {
    const once = parseTitle(raw);
    expect(once.title).toBe(once.title.normalize("NFC"));
    expect(parseTitle(once.title)).toEqual(once);
    expect(parseTitle(once.slug)).toEqual(once);
  });

  it("keeps a letter whose capital would be two letters as it is", () => {
    expect(parseTitle("ßtraße").title).toBe("ßtraße");
  });
});
