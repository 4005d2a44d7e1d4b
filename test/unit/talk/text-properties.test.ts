import fc from "fast-check";
import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, renderPostSource, sanitizeHtml } from "@/lib/talk/sanitize";
import { checkSpam, defaultClassifier } from "@/lib/talk/spam";
import { countLinks, matchForms } from "@/lib/talk/spam-rules";
import { firstShouting, hasCharacterRun, joinSpacedLetters, opensAnchor, replaceTags } from "@/lib/talk/text-scan";
import { CALL_LIMIT_MS, MAX_INPUT, pathologicalText, repeated, timed, UNITS } from "../../support/pathological";

const classifier = defaultClassifier();
const guest = (text: string) => checkSpam({ text, isGuest: true }, classifier);

describe("the spam check on pathological input (bounded work)", () => {
  it("regressions: 19,999 × ‹ and 9,999 × <a are judged in well under a second", () => {
    for (const text of ["‹".repeat(19_999), "<a".repeat(9_999), "＜".repeat(20_000), "<".repeat(20_000)]) {
      const { ms } = timed(() => guest(text));
      expect(ms).toBeLessThan(300); // 1.4 s and 0.8 s with the quadratic tag regex
    }
  });

  it.each(["<", "<a", "<a ", "‹", "＜", "&", "[[", "]]", "|", '"', " ", "a ", "ABC ", "аa", "a\u200b", '<a href="x'])(
    "finishes on 200,000 characters of %j within the per-call limit (a quadratic scan takes minutes)",
    (unit) => {
      const { value, ms } = timed(() => guest(repeated(unit)));
      expect(ms).toBeLessThan(CALL_LIMIT_MS);
      expect(value.score).toBeGreaterThanOrEqual(0);
    },
  );

  it("is deterministic, keeps its score in 0..1 and its work bounded on any mix of pathological runs", () => {
    fc.assert(
      fc.property(pathologicalText(), fc.boolean(), (text, isGuest) => {
        const first = timed(() => checkSpam({ text, isGuest }, classifier));
        expect(first.ms).toBeLessThan(CALL_LIMIT_MS);
        expect(checkSpam({ text, isGuest }, classifier)).toEqual(first.value);
        expect(first.value.score).toBeGreaterThanOrEqual(0);
        expect(first.value.score).toBeLessThanOrEqual(1);
        expect(first.value.hold).toBe(first.value.score >= (isGuest ? 0.5 : 0.7));
      }),
      { numRuns: 40 },
    );
  });

  it("counts links in linear time on any mix", () => {
    fc.assert(
      fc.property(pathologicalText(), (text) => {
        const { value, ms } = timed(() => countLinks(text));
        expect(ms).toBeLessThan(CALL_LIMIT_MS);
        expect(value).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the scans behave exactly like the regexes they replace (on short input, where the regexes are cheap)", () => {
  const short = fc.array(fc.oneof(fc.constantFrom(...UNITS, "A", "B", "C", "b", "z", "<>", "a>", "AB"), fc.string({ maxLength: 3 })), { maxLength: 30 }).map((p) => p.join(""));

  it("replaceTags = /<[^>]*>/g, /<[^>]+>/g and /<a\\s[^>]*>/gi", () => {
    fc.assert(
      fc.property(short, (text) => {
        expect(replaceTags(text, " ")).toBe(text.replace(/<[^>]*>/g, " "));
        expect(replaceTags(text, "#", { nonEmpty: true })).toBe(text.replace(/<[^>]+>/g, "#"));
        expect(replaceTags(text, " ", { opens: opensAnchor })).toBe(text.replace(/<a\s[^>]*>/gi, " "));
      }),
      { numRuns: 2_000 },
    );
  });

  it("firstShouting = /\\b[A-Z]{3,}(?:\\s+[A-Z]{3,})+\\b/", () => {
    fc.assert(
      fc.property(short, (text) => {
        expect(firstShouting(text)).toBe(/\b[A-Z]{3,}(?:\s+[A-Z]{3,})+\b/.exec(text)?.[0] ?? null);
      }),
      { numRuns: 2_000 },
    );
  });

  it("hasCharacterRun(·, 6) = /([^\\s.\\-=_*~#])\\1{5,}/u", () => {
    const runs = fc.array(fc.tuple(fc.constantFrom("a", "b", " ", ".", "😀", "#", "x"), fc.integer({ min: 1, max: 8 })), { maxLength: 8 }).map((p) => p.map(([c, n]) => c.repeat(n)).join(""));
    fc.assert(
      fc.property(runs, (text) => {
        expect(hasCharacterRun(text, 6)).toBe(/([^\s.\-=_*~#])\1{5,}/u.test(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it("joinSpacedLetters = the spaced-letters regex with its letters joined", () => {
    const spaced = fc.array(fc.constantFrom("a", "b", "s", " ", ".", "-", "·", "1", "ab", " o ", "/"), { maxLength: 20 }).map((p) => p.join(""));
    const regex = /(?<![a-z0-9])[a-z](?:[\s.\-_*·•,/]+[a-z](?![a-z0-9])){2,}/g;
    fc.assert(
      fc.property(spaced, (text) => {
        expect(joinSpacedLetters(text)).toBe(text.replace(regex, (r) => r.replace(/[^a-z]/g, "")));
      }),
      { numRuns: 2_000 },
    );
    expect(matchForms("buy s o m a now")).toContain("buy soma now");
  });
});

/** Tags and attributes in sanitised HTML, read by a real parser. */
function inventory(html: string) {
  const tags: { name: string; attribs: Record<string, string> }[] = [];
  const parser = new Parser({ onopentag: (name, attribs) => tags.push({ name, attribs }) }, { decodeEntities: true });
  parser.end(html);
  return tags;
}

const ALLOWED: ReadonlySet<string> = new Set(ALLOWED_TAGS);

function expectInert(html: string) {
  for (const { name, attribs } of inventory(html)) {
    expect(ALLOWED.has(name)).toBe(true);
    const allowedAttrs = new Set<string>([...(ALLOWED_ATTRIBUTES[name as keyof typeof ALLOWED_ATTRIBUTES] ?? [])]);
    for (const [attr, value] of Object.entries(attribs)) {
      expect(allowedAttrs.has(attr)).toBe(true);
      expect(attr.startsWith("on")).toBe(false);
      if (attr === "href" || attr === "cite") expect(value).toMatch(/^(https?:\/\/|mailto:)/);
    }
  }
  expect(html).not.toMatch(/<script/i);
  expect(html.toLowerCase()).not.toContain("javascript:");
}

describe("sanitising on pathological input", () => {
  it("renders any mix into inert HTML with only allowed tags, as a fixed point, within the per-call limit", () => {
    fc.assert(
      fc.property(pathologicalText(), (source) => {
        const { value: html, ms } = timed(() => renderPostSource(source));
        expect(ms).toBeLessThan(CALL_LIMIT_MS);
        expectInert(html.replace(/javascript:/gi, ""));
        expect(sanitizeHtml(html)).toBe(html);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps hostile markup inert however it is repeated", () => {
    const hostile = fc.array(
      fc.constantFrom('<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>", '<b onclick="x()">b</b>', "<img src=x onerror=alert(1)>", '<a href=" jav&#x09;ascript:x">y</a>', "<svg onload=x>", "<", "<a", '"', "&"),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(hostile, (parts) => {
        const html = renderPostSource(parts.join(""));
        for (const { name, attribs } of inventory(html)) {
          expect(ALLOWED.has(name)).toBe(true);
          expect(Object.keys(attribs).some((a) => a.startsWith("on"))).toBe(false);
          if (attribs.href !== undefined) expect(attribs.href).toMatch(/^(https?:\/\/|mailto:)/);
        }
        expect(sanitizeHtml(html)).toBe(html);
      }),
      { numRuns: 200 },
    );
  });

  it.each(["<", "<a", "<a ", "<b>", "&", '<a href="', "\n \n", "‹"])("sanitises 200,000 characters of %j within the per-call limit", (unit) => {
    const source = repeated(unit, MAX_INPUT);
    expect(timed(() => renderPostSource(source)).ms).toBeLessThan(CALL_LIMIT_MS);
    // Raw HTML nested 66,666 deep is the one known superlinear case: sanitize-html's htmlparser2 Parser keeps open
    // elements with Array.unshift (1.4 s). Posts never reach it: renderPostSource keeps tags past the depth limit as text.
    if (unit !== "<b>") expect(timed(() => sanitizeHtml(source)).ms).toBeLessThan(CALL_LIMIT_MS);
  });
});
