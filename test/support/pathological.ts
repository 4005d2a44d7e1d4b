import fc from "fast-check";

/** The longest text a talk post field accepts (lib/commands/talk/post-fields.ts): the work bound is checked up to here. */
export const MAX_INPUT = 200_000;

/**
 * Pieces that make text-processing code backtrack or rescan when repeated:
 * open brackets without a close, near-tags, entities, wiki link syntax,
 * quotes, invisible and look-alike characters, white space runs.
 */
export const UNITS = [
  "<", "<a", "<a ", "<a href=\"", "<a href='x", "</", "<!--", "<b>", "<script>", "<title", "‹", "＜", "﹤", ">", "&", "&amp;", "&#", "&lt;",
  "[[", "]]", "|", "[[a|", "\"", "'", "`", "```\n", " ", "\n", "\t", "\n \n", "\u200b", "\u115f", "аa", "Ωo", "ABC ", "a ", "s.", "a!", "@",
  "http://", "www.", "x", "é", "😀", "_", ".", "-",
] as const;

/** A run of one unit, long or short. */
const run = fc.tuple(fc.constantFrom(...UNITS), fc.integer({ min: 1, max: 20_000 })).map(([unit, times]) => unit.repeat(times));

/** Text made of a few long runs of pathological units and ordinary characters, at most `max` characters. */
export function pathologicalText(max = MAX_INPUT): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 3, arbitrary: run }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) }), { minLength: 1, maxLength: 6 })
    .map((parts) => {
      const text = parts.join("");
      if (text.length <= max) return text;
      // Never cut a surrogate pair in two.
      const cut = (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
      return text.slice(0, cut);
    });
}

/** One unit repeated up to exactly `length` characters: the worst inputs at full size. */
export function repeated(unit: string, length = MAX_INPUT): string {
  return unit.repeat(Math.floor(length / unit.length));
}

/**
 * Milliseconds `fn` takes. The work bounds in tests are generous per-call
 * limits: a quadratic algorithm on 200,000 characters takes minutes, a
 * linear one tens of milliseconds, so a limit of a second or two tells them
 * apart by orders of magnitude without being flaky on a busy machine.
 */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

/** Per-call limit for one text function on up to {@link MAX_INPUT} characters. */
export const CALL_LIMIT_MS = 1_500;
