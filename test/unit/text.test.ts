import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSegment,
  findTextFault,
  hasControl,
  normalizeNewlines,
  replaceControls,
  stripNonXmlChars,
  stripTextFaults,
  text,
} from "@/lib/text";
import { titleFromSegment } from "@/lib/wiki/title";

// Strings built from the characters that matter here: controls, CR/LF, tab, DEL, both halves of surrogate pairs, the XML non-characters and plain letters.
const tricky = fc.constantFrom("\u0000", "\u0001", "\t", "\n", "\r", "\u000b", "\u001f", "\u007f", "\ud83d", "\ude00", "\ud83d\ude00", "\ufffe", "\uffff", "a", " ", "é", "%", "%2", "%41");
const trickyText = fc.array(tricky, { maxLength: 40 }).map((parts) => parts.join(""));
const anyText = fc.oneof(trickyText, fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }));

/** The spec of findTextFault, stated per code unit. */
function isClean(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

describe("findTextFault", () => {
  it("is null exactly when there is no C0 control but tab and newline and no lone surrogate", () => {
    fc.assert(fc.property(anyText, (s) => (findTextFault(s) === null) === isClean(s)));
  });

  it("points at the faulty character", () => {
    expect(findTextFault("ab\u0000c")).toEqual({ index: 2, codePoint: 0, reason: "control" });
    expect(findTextFault("a\ude00")).toEqual({ index: 1, codePoint: 0xde00, reason: "surrogate" });
    expect(findTextFault("a\ud83d")).toEqual({ index: 1, codePoint: 0xd83d, reason: "surrogate" });
    expect(findTextFault("tab\tnew\nline 😀")).toBeNull();
  });
});

describe("stripTextFaults", () => {
  it("always leaves text that passes, and leaves clean text alone", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = stripTextFaults(s);
        expect(findTextFault(out)).toBeNull();
        if (isClean(s)) expect(out).toBe(s);
        expect(out.length).toBeLessThanOrEqual(s.length);
      }),
    );
  });
});

describe("normalizeNewlines", () => {
  it("leaves no CR, keeps the number of line breaks, and is idempotent", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = normalizeNewlines(s);
        expect(out).not.toContain("\r");
        const breaks = s.split("\r\n").join("\n").split(/[\r\n]/).length;
        expect(out.split("\n").length).toBe(breaks);
        expect(normalizeNewlines(out)).toBe(out);
      }),
    );
    expect(normalizeNewlines("a\r\nb\rc\n")).toBe("a\nb\nc\n");
  });
});

describe("controls", () => {
  it("hasControl finds every C0 control and DEL, tab and newline included", () => {
    fc.assert(fc.property(anyText, (s) => hasControl(s) === [...s].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f")));
  });

  it("replaceControls leaves none, keeping tab and newline only when asked", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(hasControl(replaceControls(s, ""))).toBe(false);
        expect(hasControl(replaceControls(s, " "))).toBe(false);
        expect(replaceControls(s, " ")).toHaveLength(s.length);
        const kept = replaceControls(s, "", { keepLineBreaks: true });
        expect(hasControl(kept.replace(/[\t\n]/g, ""))).toBe(false);
        expect(kept.split("\n").length).toBe(s.split("\n").length);
      }),
    );
    expect(replaceControls("a\u0000b\tc\u007f", "_")).toBe("a_b_c_");
    expect(replaceControls("a\r\nb\tc", "", { keepLineBreaks: true })).toBe("a\nb\tc");
  });
});

describe("stripNonXmlChars", () => {
  const xmlChar = (cp: number) =>
    cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

  it("leaves only characters XML 1.0 allows, and keeps those", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = stripNonXmlChars(s);
        expect([...out].every((c) => xmlChar(c.codePointAt(0)!) && !(c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff))).toBe(true);
        expect(stripNonXmlChars(out)).toBe(out);
      }),
    );
    expect(stripNonXmlChars("a\u0000b\u000bc\td\r\ne\ufffe😀\ud83d")).toBe("abc\td\r\ne😀");
  });
});

describe("decodeSegment and titleFromSegment", () => {
  it("decodes valid escapes and returns null for broken ones, never throwing", () => {
    fc.assert(fc.property(anyText, (s) => decodeSegment(encodeURIComponent(stripTextFaults(s))) === stripTextFaults(s)));
    fc.assert(fc.property(anyText, (s) => (decodeSegment(s), true)));
    expect(decodeSegment("Caf%C3%A9")).toBe("Café");
    expect(decodeSegment("%E0%A4%A")).toBeNull();
    expect(decodeSegment("%")).toBeNull();
  });

  it("reads a title from a path segment and says whether the segment is its slug", () => {
    expect(titleFromSegment("Social_learning")).toEqual({ title: "Social learning", slug: "Social_learning", canonical: true });
    expect(titleFromSegment("social%20learning")).toEqual({ title: "Social learning", slug: "Social_learning", canonical: false });
    expect(titleFromSegment("Caf%C3%A9")).toMatchObject({ slug: "Café", canonical: true });
    expect(titleFromSegment("%E0%A4%A")).toBeNull();
    expect(titleFromSegment("a%00b")).toBeNull();
    expect(titleFromSegment("a%7Cb")).toBeNull();
    expect(titleFromSegment("%ED%A0%BD")).toBeNull();
  });

  it("never throws and returns a title that parses to its own slug", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const title = titleFromSegment(s);
        if (title) expect(titleFromSegment(encodeURIComponent(title.slug))).toMatchObject({ slug: title.slug, canonical: true });
      }),
    );
  });
});

describe("text()", () => {
  const summary = text({ label: "Edit summary", max: 10, trim: true });

  it("accepts exactly the clean texts within the limit, CRLF read as LF", () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const result = summary.safeParse(s);
        const v = normalizeNewlines(s).trim();
        expect(result.success).toBe(isClean(v) && v.length <= 10);
        if (result.success) expect(result.data).toBe(v);
      }),
    );
  });

  it("names the field and the character in its messages", () => {
    const result = summary.safeParse("a\u0000");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Edit summary contains a control character (U+0000) at position 2; remove it and try again.");
  });
});
