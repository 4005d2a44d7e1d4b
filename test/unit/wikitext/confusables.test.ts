import { describe, expect, it } from "vitest";
import { caselessSkeleton, isMixedScript, skeleton } from "@/lib/wikitext/confusables";
import { parseTitle, titleSkeleton, tryParseTitle } from "@/lib/wikitext/title";

describe("look-alike titles (UTS #39)", () => {
  it("refuses mixed-script look-alikes, invisible and direction-changing characters", () => {
    for (const raw of ["\u0410doption", "Adoption\u200b", "Ado\u00adption", "Adoption\u202e", "Ad\u2066option", "Adopt\u0456on"]) {
      expect(tryParseTitle(raw), raw).toBeNull();
    }
  });

  it("keeps single-script titles in any script, and Latin with Han or kana", () => {
    for (const raw of ["Adoption", "Café society", "Москва", "Ελληνικά", "東京 Tower", "日本語のひらがな", "Knowledge management 2.0"]) {
      expect(tryParseTitle(raw), raw).not.toBeNull();
    }
  });

  it("NFC-normalises, so composed and decomposed spellings are one title", () => {
    expect(parseTitle("Cafe\u0301").title).toBe("Café");
  });

  it("gives look-alikes one skeleton", () => {
    expect(titleSkeleton("Adoption")).toBe(skeleton("\u0410doption"));
    expect(skeleton("rn")).toBe(skeleton("m"));
    expect(caselessSkeleton("Admin")).toBe(caselessSkeleton("\u0430dmin"));
    expect(caselessSkeleton("B0b")).toBe(caselessSkeleton("bob"));
    expect(skeleton("Adoption")).not.toBe(skeleton("Adaption"));
  });

  it("stays linear on long input", () => {
    const long = "\u0430".repeat(20_000);
    expect(isMixedScript(long)).toBe(false);
    expect(skeleton(long)).toHaveLength(20_000);
  });
});
