/**
 * Linear scans over user text that replace regular expressions which
 * backtrack (`/<[^>]*>/g` over `<<<<…` rescans to the end from every `<`:
 * quadratic). Each function reads its input a bounded number of times.
 * Pure: safe on client and server.
 */

/** JavaScript's `\s`: the characters a regex `\s` matches. */
export function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A regex word character (`\w`): ASCII letter, digit or underscore. */
export function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * `text.replace(/<[^>]*>/g, replacement)` in one pass (with `nonEmpty`,
 * `/<[^>]+>/g`). Once no `>` follows a `<`, no later `<` can close either,
 * which is what the regex engine cannot know.
 */
export function replaceTags(text: string, replacement: string, options: { nonEmpty?: boolean; opens?: (text: string, lt: number) => boolean } = {}): string {
  let out = "";
  let copied = 0;
  let from = 0;
  while (from < text.length) {
    const lt = text.indexOf("<", from);
    if (lt === -1) break;
    if (options.opens && !options.opens(text, lt)) {
      from = lt + 1;
      continue;
    }
    const gt = text.indexOf(">", lt + 1);
    if (gt === -1) break;
    if (options.nonEmpty && gt === lt + 1) {
      from = lt + 1;
      continue;
    }
    out += text.slice(copied, lt) + replacement;
    copied = from = gt + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether `<a` followed by white space starts at `lt` (case-insensitive): an anchor's open tag. */
export function opensAnchor(text: string, lt: number): boolean {
  const a = text.charCodeAt(lt + 1);
  return (a === 0x61 || a === 0x41) && isSpace(text.charCodeAt(lt + 2));
}

/** How many times `needle` (ASCII, lower case) occurs in `text`, ignoring ASCII case, with a word boundary before it. */
export function countWordPrefixed(text: string, needle: string): number {
  const lower = asciiLower(text);
  let n = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + needle.length)) {
    if (i === 0 || !isWordChar(lower.charCodeAt(i - 1))) n++;
  }
  return n;
}

/** ASCII letters lower-cased, every other code unit kept (so indexes stay the same). */
export function asciiLower(text: string): string {
  let out = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      out += text.slice(copied, i) + String.fromCharCode(c + 32);
      copied = i + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The first run of two or more all-capital words (3+ letters A–Z each,
 * whole words) separated only by white space, as written; null when there
 * is none. Same as `/\b[A-Z]{3,}(?:\s+[A-Z]{3,})+\b/`.
 */
export function firstShouting(text: string): string | null {
  let i = 0;
  let runStart = -1;
  let runEnd = -1;
  let words = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      if (words > 0 && !isSpace(c)) {
        if (words >= 2) return text.slice(runStart, runEnd);
        words = 0;
      }
      i++;
      continue;
    }
    let j = i;
    let capitals = true;
    while (j < text.length && isWordChar(text.charCodeAt(j))) {
      const w = text.charCodeAt(j);
      if (w < 0x41 || w > 0x5a) capitals = false;
      j++;
    }
    if (capitals && j - i >= 3) {
      if (words === 0) runStart = i;
      runEnd = j;
      words++;
    } else {
      if (words >= 2) return text.slice(runStart, runEnd);
      words = 0;
    }
    i = j;
  }
  return words >= 2 ? text.slice(runStart, runEnd) : null;
}

/**
 * Whether some character other than white space and `.-=_*~#` occurs
 * `times` or more times in a row (`/([^\s.\-=_*~#])\1{5,}/u` for 6).
 */
export function hasCharacterRun(text: string, times: number): boolean {
  let previous = -1;
  let run = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (isSpace(c) || ".-=_*~#".includes(ch)) {
      previous = -1;
      run = 0;
      continue;
    }
    run = c === previous ? run + 1 : 1;
    previous = c;
    if (run >= times) return true;
  }
  return false;
}

const isLowerAsciiLetter = (c: number) => c >= 0x61 && c <= 0x7a;
const isLowerAlnum = (c: number) => isLowerAsciiLetter(c) || (c >= 0x30 && c <= 0x39);
const SPACED_SEPARATORS = new Set([".", "-", "_", "*", "·", "•", ",", "/"].map((s) => s.charCodeAt(0)));
const isSpacedSeparator = (c: number) => isSpace(c) || SPACED_SEPARATORS.has(c);

/**
 * Letters spaced out to dodge filters ("s o m a", "s.o.m.a", "s-o-m-a")
 * joined into a word: three or more single letters a–z separated by white
 * space or `.-_*·•,/`. Same as replacing
 * `/(?<![a-z0-9])[a-z](?:[\s.\-_*·•,/]+[a-z](?![a-z0-9])){2,}/g` with its letters.
 */
export function joinSpacedLetters(text: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isLowerAsciiLetter(c) || (i > 0 && isLowerAlnum(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let letters = text[i]!;
    let end = i + 1;
    let j = i + 1;
    for (;;) {
      let k = j;
      while (k < text.length && isSpacedSeparator(text.charCodeAt(k))) k++;
      if (k === j || k >= text.length || !isLowerAsciiLetter(text.charCodeAt(k)) || isLowerAlnum(text.charCodeAt(k + 1))) break;
      letters += text[k]!;
      end = j = k + 1;
    }
    if (letters.length >= 3) {
      out += text.slice(copied, i) + letters;
      copied = i = end;
    } else {
      // The separators after a lone letter are read again at most once, from the next letter.
      i = end === i + 1 ? i + 1 : end - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
