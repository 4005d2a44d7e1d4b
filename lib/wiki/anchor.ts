import search from "approx-string-match";
import { diffLines, diffWordsWithSpace } from "diff";

/**
 * Re-anchoring a talk thread's passage as a page changes (pure: text in, text out).
 *
 * An anchor is a W3C Web Annotation target on a revision's rendered text
 * (lib/wiki/rendered-text.ts): a quote (exact, prefix, suffix) and its position.
 * Carried to a newer revision's text it is, in this order:
 *
 * 1. mapped through the diff between the two texts: when no change touches the
 *    passage it keeps its words exactly, at its new position ("anchored");
 * 2. otherwise found again by its quote: exactly anywhere (a moved passage), or
 *    approximately with approx-string-match near where it was expected, scored
 *    by the quote's and its context's similarity; below the threshold it is
 *    not taken ("fuzzy"); a candidate is stretched to whole words when the
 *    quote began or ended at a word's edge;
 * 3. otherwise "orphaned": nothing is pointed at rather than the wrong words.
 *
 * The work is bounded by construction: the two texts are compared once (common
 * prefix and suffix, then a line diff of what lies between with an edit limit),
 * a passage touched by a changed line refines only that hunk by words, and the
 * quote search is a linear scan for the exact words plus approximate matching
 * in a window of about APPROXIMATE_RADIUS characters: a quote longer than
 * 2 × APPROXIMATE_KEY is searched by its first and last APPROXIMATE_KEY
 * characters, and only the MAX_APPROXIMATE_CANDIDATES places they point at
 * closest to where the passage was expected are checked against the whole quote
 * (with at most MAX_APPROXIMATE_ERRORS errors). A search that would spend more
 * than its SearchBudget gives up: the passage is "unplaced" (nowhere, never a
 * guess), which is stored like any other outcome.
 */

export type Quote = { exact: string; prefix: string; suffix: string };

export type AnchorStatus = "anchored" | "fuzzy" | "orphaned";

/** Where a passage is on one revision's text; `confidence` is 1 for the exact words. */
export type Resolution =
  | { status: "anchored" | "fuzzy"; start: number; end: number; confidence: number }
  /** `unplaced`: the search gave up (its work budget was spent), so where the passage is was not decided; not that it is gone. */
  | { status: "orphaned"; confidence: 0; unplaced?: true };

const UNPLACED: Resolution = { status: "orphaned", confidence: 0, unplaced: true };

/** The longest quote accepted, and the context kept on each side of it (as Hypothesis does). */
export const MAX_QUOTE = 2000;
export const CONTEXT_CHARS = 32;

/** A fuzzy match must keep at least this share of the quote's characters... */
export const MIN_QUOTE_SIMILARITY = 0.75;
/** ...and a short quote (common words) is taken elsewhere only when its context agrees this much. */
export const MIN_CONTEXT_SIMILARITY = 0.5;
const SPECIFIC_QUOTE = 32;

const LINE_EDIT_LIMIT = 2000;
const WORD_EDIT_LIMIT = 1000;
const MAX_REFINED_CHARS = 40_000;
/** The most characters of changed lines refined by words to tell a twin passage from the passage moved, per pair of texts. */
const MAX_TWIN_REFINED_CHARS = 200_000;
const MAX_EXACT_OCCURRENCES = 1000;
/** How far from where a passage was expected an approximate match is looked for (exact words are found anywhere). */
export const APPROXIMATE_RADIUS = 4000;
/** A quote longer than twice this is searched for approximately by its first and last this many characters, then checked whole. */
export const APPROXIMATE_KEY = 64;
/** The most places an approximate search checks against the whole quote (those closest to where the passage was expected). */
export const MAX_APPROXIMATE_CANDIDATES = 4;
/** The most character errors an approximate match may have, whatever the quote's length (Hypothesis caps them too). */
export const MAX_APPROXIMATE_ERRORS = 128;

/**
 * Work a quote search may still do, in units of one character compared with
 * one character (a dynamic-programming cell; a 32-character word of the
 * bit-parallel search counts as one). Shared by the passages of one job, so a
 * job's work is bounded however many passages it carries.
 */
export type SearchBudget = { cells: number };
/** One passage's search at its worst (a 2,000-character quote over periodic text) is about 5 million cells. */
export const SEARCH_CELLS_PER_PASSAGE = 6_000_000;
/** A job carrying many passages at once: about a second of work on a quiet core, then the rest are left unplaced. */
export const SEARCH_CELLS_PER_JOB = 60_000_000;

type Hunk = { oldStart: number; oldEnd: number; newStart: number; newEnd: number; refined?: Hunk[] | null };

/** The changes from one text to another, computed once and shared by every passage mapped through them. */
export class TextChanges {
  private readonly hunks: Hunk[];

  constructor(
    readonly before: string,
    readonly after: string,
  ) {
    this.hunks = lineHunks(before, after);
  }

  /** The passage [start, end) of the old text in the new one, or null when a change touches it (an insertion at its edges does not). */
  map(start: number, end: number): { start: number; end: number } | null {
    let shift = 0;
    for (const hunk of this.hunks) {
      // Before the passage (an insertion right at its start included): it only moves.
      if (hunk.oldEnd <= start) {
        shift += hunk.newEnd - hunk.newStart - (hunk.oldEnd - hunk.oldStart);
        continue;
      }
      if (hunk.oldStart >= end) break;
      const inner = this.refine(hunk);
      if (!inner) return null;
      for (const part of inner) {
        if (part.oldEnd <= start) shift += part.newEnd - part.newStart - (part.oldEnd - part.oldStart);
        else if (part.oldStart < end) return null;
      }
    }
    return { start: start + shift, end: end + shift };
  }

  /**
   * Whether [start, end) of the new text holds words no change touched (in an
   * untouched line, or between the changed words of a changed line): words that
   * were already there, at another place in the old text. Words found there by a
   * passage's quote are another passage's (a twin sentence), not the passage moved.
   * A changed line too large to refine by words counts as changed.
   */
  unchangedInNew(start: number, end: number): boolean {
    for (const hunk of this.hunks) {
      if (hunk.newStart > end) break;
      if (hunk.newEnd < start) continue;
      // A changed line may hold words it already had (a twin in the same paragraph, or in a paragraph the same edit
      // touched elsewhere): by words, the passage is unchanged when no changed word lies inside it.
      const inner = this.refineForTwins(hunk);
      if (!inner) return false;
      for (const part of inner) {
        if (part.newStart >= end) break;
        // Words added inside it, or taken out from between its words.
        if (part.newStart < end && part.newEnd > start) return false;
      }
    }
    return true;
  }

  /** Characters the twin check may still refine by words (map() refines only a passage's own hunk; candidates may point into many). */
  private twinRefineBudget = MAX_TWIN_REFINED_CHARS;

  private refineForTwins(hunk: Hunk): Hunk[] | null {
    if (hunk.refined !== undefined) return hunk.refined;
    const size = hunk.oldEnd - hunk.oldStart + (hunk.newEnd - hunk.newStart);
    if (size > this.twinRefineBudget) return null;
    this.twinRefineBudget -= size;
    return this.refine(hunk);
  }

  /** Where an old offset roughly lands in the new text (for choosing between candidates), whatever touched it. */
  approximate(offset: number): number {
    let shift = 0;
    for (const hunk of this.hunks) {
      if (hunk.oldEnd > offset) break;
      shift += hunk.newEnd - hunk.newStart - (hunk.oldEnd - hunk.oldStart);
    }
    return Math.max(0, Math.min(this.after.length, offset + shift));
  }

  /** A line hunk refined by words (once; by characters, unrelated words would share letters), or null when it is too large or too different to refine. */
  private refine(hunk: Hunk): Hunk[] | null {
    if (hunk.refined !== undefined) return hunk.refined;
    const oldPart = this.before.slice(hunk.oldStart, hunk.oldEnd);
    const newPart = this.after.slice(hunk.newStart, hunk.newEnd);
    hunk.refined = null;
    if (oldPart.length + newPart.length <= MAX_REFINED_CHARS) {
      const changes = diffWordsWithSpace(oldPart, newPart, { maxEditLength: WORD_EDIT_LIMIT });
      if (changes) hunk.refined = hunksOf(changes, hunk.oldStart, hunk.newStart);
    }
    return hunk.refined;
  }
}

function lineHunks(before: string, after: string): Hunk[] {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  if (prefix === oldEnd && prefix === newEnd) return [];
  const changes = diffLines(before.slice(prefix, oldEnd), after.slice(prefix, newEnd), { maxEditLength: LINE_EDIT_LIMIT });
  // Too many changed lines to tell apart: the whole middle is one change (passages in it are found by their quotes).
  if (!changes) return [{ oldStart: prefix, oldEnd, newStart: prefix, newEnd }];
  return hunksOf(changes, prefix, prefix);
}

function hunksOf(changes: { value: string; added: boolean; removed: boolean }[], oldBase: number, newBase: number): Hunk[] {
  const hunks: Hunk[] = [];
  let oldPos = oldBase;
  let newPos = newBase;
  let open: Hunk | null = null;
  for (const change of changes) {
    const length = change.value.length;
    if (!change.added && !change.removed) {
      open = null;
      oldPos += length;
      newPos += length;
      continue;
    }
    if (!open) {
      open = { oldStart: oldPos, oldEnd: oldPos, newStart: newPos, newEnd: newPos };
      hunks.push(open);
    }
    if (change.removed) {
      oldPos += length;
      open.oldEnd = oldPos;
    } else {
      newPos += length;
      open.newEnd = newPos;
    }
  }
  return hunks;
}

/**
 * How much of `stored` (context kept with the anchor) agrees with `found` (the
 * same number of characters beside a candidate): 1 minus their edit distance
 * over the stored length, so a character inserted next to the passage costs
 * little. 1 when nothing was stored (the text's edge). At most CONTEXT_CHARS², a small constant.
 */
function contextSimilarity(stored: string, found: string): number {
  if (stored.length === 0) return 1;
  // Context cut short by the text's edge is itself a clue (the passage is near the edge): it counts as half a full context.
  return Math.max(0, 1 - editDistance(stored, found) / Math.max(stored.length, CONTEXT_CHARS / 2));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

type Candidate = { start: number; end: number; errors: number };

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordChar = (c: string | undefined) => c !== undefined && WORD_CHAR.test(c);
/** Whether a passage from `before` to `after` (the characters around it, "" at the text's edge) has a word boundary there. */
const boundary = (before: string | undefined, after: string | undefined) => !(isWordChar(before) && isWordChar(after));

/**
 * A candidate stretched to whole words where the quote began or ended at a word's edge,
 * and to whole characters always, each character added counting as an error: "the" is
 * not found inside "then".
 */
function fitToWords(text: string, quote: Quote, candidate: Candidate): Candidate {
  let { start, end, errors } = candidate;
  if (boundary(quote.prefix.at(-1), quote.exact[0])) {
    for (let n = 0; n < CONTEXT_CHARS && !boundary(text[start - 1], text[start]); n++) {
      start--;
      errors++;
    }
  }
  if (boundary(quote.exact.at(-1), quote.suffix[0])) {
    for (let n = 0; n < CONTEXT_CHARS && !boundary(text[end - 1], text[end]); n++) {
      end++;
      errors++;
    }
  }
  // Never inside a character (an approximate match counts UTF-16 code units): not between the halves of an emoji,
  // nor between a letter and its combining marks.
  for (let n = 0; n < CONTEXT_CHARS && insideCharacter(text, start); n++) {
    start--;
    errors++;
  }
  for (let n = 0; n < CONTEXT_CHARS && insideCharacter(text, end); n++) {
    end++;
    errors++;
  }
  return { start, end, errors };
}

const COMBINING_MARK = /\p{M}/u;
/** Whether offset `at` of `text` falls inside a character: within a surrogate pair, or right before a combining mark. */
function insideCharacter(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) return true;
  return COMBINING_MARK.test(text[at]!);
}

function score(text: string, quote: Quote, candidate: Candidate, near: number) {
  const quoteSimilarity = 1 - candidate.errors / quote.exact.length;
  const prefix = contextSimilarity(quote.prefix.slice(-CONTEXT_CHARS), text.slice(Math.max(0, candidate.start - Math.min(CONTEXT_CHARS, quote.prefix.length)), candidate.start));
  const suffix = contextSimilarity(quote.suffix.slice(0, CONTEXT_CHARS), text.slice(candidate.end, candidate.end + Math.min(CONTEXT_CHARS, quote.suffix.length)));
  const context = (prefix + suffix) / 2;
  const distance = Math.abs(candidate.start - near) / Math.max(1, text.length);
  return { quoteSimilarity, context, rank: quoteSimilarity * 50 + context * 20 - distance * 2 };
}

/**
 * Where `pattern` occurs in `text`, left to right (overlapping), at most `limit`
 * times: Knuth–Morris–Pratt, linear in both lengths (indexOf is not on periodic
 * text: a 2,000-character near miss over a page of one letter took 0.4 s).
 */
function occurrences(text: string, pattern: string, limit: number): number[] {
  const m = pattern.length;
  const failure = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && pattern.charCodeAt(i) !== pattern.charCodeAt(k)) k = failure[k - 1]!;
    if (pattern.charCodeAt(i) === pattern.charCodeAt(k)) k++;
    failure[i] = k;
  }
  const found: number[] = [];
  for (let i = 0, k = 0; i < text.length && found.length < limit; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== pattern.charCodeAt(k)) k = failure[k - 1]!;
    if (c === pattern.charCodeAt(k)) k++;
    if (k === m) {
      found.push(i - m + 1);
      k = failure[m - 1]!;
    }
  }
  return found;
}

/** Approximate matches are looked for in pieces of this many starting places, the closest to where the passage was expected first. */
const APPROXIMATE_PIECE = 1000;

/**
 * approx-string-match for `pattern` (at most 2 × APPROXIMATE_KEY characters)
 * starting within APPROXIMATE_RADIUS of `center`, piece by piece outwards from
 * it, until a ring of pieces has given MAX_APPROXIMATE_CANDIDATES matches:
 * periodic text (a page of "abab…") matches everywhere, and each match is
 * traced back over the pattern, so matches far away are never computed when
 * close ones were found. Charged to the budget: the bit-parallel scan, and
 * each match traced back (which also builds a 256-entry table of the pattern's characters).
 */
function approximateMatches(text: string, pattern: string, maxErrors: number, center: number, budget: SearchBudget): Candidate[] {
  const blocks = Math.ceil(pattern.length / 32);
  const reach = pattern.length + maxErrors;
  const found: Candidate[] = [];
  const rings = Math.ceil(APPROXIMATE_RADIUS / APPROXIMATE_PIECE);
  for (let ring = 0; ring <= rings && found.length < MAX_APPROXIMATE_CANDIDATES && budget.cells > 0; ring++) {
    for (const side of ring === 0 ? [0] : [-ring, ring]) {
      const lo = Math.max(0, center + side * APPROXIMATE_PIECE - APPROXIMATE_PIECE / 2);
      const hi = Math.min(text.length, center + side * APPROXIMATE_PIECE + APPROXIMATE_PIECE / 2);
      if (hi <= lo) continue;
      const piece = text.slice(lo, hi + reach);
      const matches = search(piece, pattern, maxErrors);
      budget.cells -= blocks * piece.length + matches.length * (blocks * reach + 256);
      for (const match of matches) if (match.start + lo < hi) found.push({ start: match.start + lo, end: match.end + lo, errors: match.errors });
    }
  }
  return found;
}

/**
 * The fewest edits turning `quote` into the text read from `at` on (forwards,
 * or backwards when `backwards`: the quote then ends at `at`), the other end
 * free; null when every alignment has more than `maxErrors`. A band of
 * 2 × maxErrors + 1 diagonals, so at most quote.length × that many cells,
 * charged to the budget as they are computed.
 */
function align(text: string, at: number, quote: string, maxErrors: number, backwards: boolean, budget: SearchBudget): Candidate | null {
  const m = quote.length;
  const available = backwards ? at : text.length - at;
  const width = 2 * maxErrors + 1;
  const far = maxErrors + 1;
  // Row i holds D[i][j] for j = i - maxErrors + d, d in [0, width): quote[0, i) against the text's first j characters.
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let d = 0; d < width; d++) previous[d] = d >= maxErrors && d - maxErrors <= available ? d - maxErrors : far;
  const textAt = (j: number) => (backwards ? text.charCodeAt(at - j) : text.charCodeAt(at + j - 1));
  const quoteAt = (i: number) => (backwards ? quote.charCodeAt(m - i) : quote.charCodeAt(i - 1));
  for (let i = 1; i <= m; i++) {
    let best = far;
    const q = quoteAt(i);
    for (let d = 0; d < width; d++) {
      const j = i - maxErrors + d;
      if (j < 0 || j > available) {
        current[d] = far;
        continue;
      }
      if (j === 0) {
        current[d] = i;
      } else {
        const diagonal = previous[d]! + (q === textAt(j) ? 0 : 1);
        const up = d + 1 < width ? previous[d + 1]! + 1 : far;
        const left = d > 0 ? current[d - 1]! + 1 : far;
        current[d] = Math.min(diagonal, up, left, far);
      }
      if (current[d]! < best) best = current[d]!;
    }
    budget.cells -= width;
    // No alignment of the quote's first i characters is within the errors allowed: none of the whole quote is.
    if (best > maxErrors) return null;
    [previous, current] = [current, previous];
  }
  let errors = far;
  let length = 0;
  for (let d = 0; d < width; d++) {
    const j = m - maxErrors + d;
    // Fewest errors; of equals, the length closest to the quote's.
    if (previous[d]! < errors || (previous[d] === errors && Math.abs(j - m) < Math.abs(length - m))) {
      errors = previous[d]!;
      length = j;
    }
  }
  if (errors > maxErrors) return null;
  return backwards ? { start: at - length, end: at, errors } : { start: at, end: at + length, errors };
}

/**
 * Approximate matches of the quote near `near`, at most MAX_APPROXIMATE_CANDIDATES
 * (fewest errors, then closest), or null when the budget ran out. A short quote
 * is searched whole; a longer one by its first and last APPROXIMATE_KEY
 * characters, each place they point at then aligned with the whole quote.
 */
function approximateCandidates(text: string, exact: string, near: number, maxErrors: number, budget: SearchBudget): Candidate[] | null {
  const m = exact.length;
  const closest = <T extends { errors: number }>(items: T[], distance: (item: T) => number) =>
    items
      .map((item) => ({ item, distance: distance(item) }))
      .sort((a, b) => a.item.errors - b.item.errors || a.distance - b.distance)
      .slice(0, MAX_APPROXIMATE_CANDIDATES)
      .map((x) => x.item);
  if (m <= 2 * APPROXIMATE_KEY) {
    const found = approximateMatches(text, exact, maxErrors, near, budget);
    return budget.cells < 0 ? null : closest(found, (c) => Math.abs(c.start - near));
  }
  // The quote's first characters are looked for where it may begin, its last ones where they may begin.
  const keyErrors = Math.floor(APPROXIMATE_KEY * (1 - MIN_QUOTE_SIMILARITY));
  const tailsAt = near + m - APPROXIMATE_KEY;
  const heads = approximateMatches(text, exact.slice(0, APPROXIMATE_KEY), keyErrors, near, budget).map((c) => ({ at: c.start, backwards: false, errors: c.errors, distance: Math.abs(c.start - near) }));
  const tails = approximateMatches(text, exact.slice(-APPROXIMATE_KEY), keyErrors, tailsAt, budget).map((c) => ({ at: c.end, backwards: true, errors: c.errors, distance: Math.abs(c.start - tailsAt) }));
  if (budget.cells < 0) return null;
  const candidates: Candidate[] = [];
  const aligned = new Set<string>();
  for (const place of closest([...heads, ...tails], (p) => p.distance)) {
    const key = `${place.backwards}:${place.at}`;
    if (aligned.has(key)) continue;
    aligned.add(key);
    const candidate = align(text, place.at, exact, maxErrors, place.backwards, budget);
    if (budget.cells < 0) return null;
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

/**
 * The quote found again in `text`: exactly, or approximately when at least
 * MIN_QUOTE_SIMILARITY of it survives (and at most MAX_APPROXIMATE_ERRORS
 * characters differ); a short quote needs its context too. `near`: where the
 * passage was expected (ties go to the closest). An approximate search that
 * would spend more than `budget` gives up: unplaced, never a guess.
 */
export function findQuote(
  text: string,
  quote: Quote,
  near: number,
  options: { approximate?: boolean; elsewhere?: (start: number, end: number) => boolean; budget?: SearchBudget } = {},
): Resolution {
  const m = quote.exact.length;
  if (m === 0 || m > MAX_QUOTE) return { status: "orphaned", confidence: 0 };
  const candidates: Candidate[] = occurrences(text, quote.exact, MAX_EXACT_OCCURRENCES).map((at) => ({ start: at, end: at + m, errors: 0 }));
  // Below about ten characters every error is a large share: only the exact words count.
  const maxErrors = m < 10 ? 0 : Math.min(MAX_APPROXIMATE_ERRORS, Math.floor(m * (1 - MIN_QUOTE_SIMILARITY)));
  const whole = candidates.filter((c) => fitToWords(text, quote, c).errors === 0);
  if (whole.length === 0 && maxErrors > 0 && options.approximate !== false) {
    const budget = options.budget ?? { cells: SEARCH_CELLS_PER_PASSAGE };
    if (budget.cells <= 0) return UNPLACED;
    // Approximately only near where the passage was expected: a bounded window, whatever the page's length.
    const found = approximateCandidates(text, quote.exact, near, maxErrors, budget);
    if (found === null) return UNPLACED;
    candidates.push(...found);
  }
  let best: (Candidate & ReturnType<typeof score>) | null = null;
  for (const found of candidates) {
    const candidate = fitToWords(text, quote, found);
    if (options.elsewhere?.(candidate.start, candidate.end)) continue;
    const scored = { ...candidate, ...score(text, quote, candidate, near) };
    if (!best || scored.rank > best.rank) best = scored;
  }
  if (!best || best.quoteSimilarity < MIN_QUOTE_SIMILARITY) return { status: "orphaned", confidence: 0 };
  if (m < SPECIFIC_QUOTE && best.context < MIN_CONTEXT_SIMILARITY) return { status: "orphaned", confidence: 0 };
  const exact = text.slice(best.start, best.end) === quote.exact;
  const confidence = Math.round((0.8 * best.quoteSimilarity + 0.2 * best.context) * 100) / 100;
  return { status: exact ? "anchored" : "fuzzy", start: best.start, end: best.end, confidence: exact ? 1 : Math.min(confidence, 0.99) };
}

/**
 * Carry a passage from the text it was resolved on to a newer text. `from` is
 * its resolution on `changes.before`; an orphaned passage is looked for by its quote only.
 */
export function carryAnchor(changes: TextChanges, quote: Quote, from: Resolution, budget?: SearchBudget): Resolution {
  // Gone: only its exact words coming back (a revert) anchor it again.
  // Words in lines the edit did not touch were there before, elsewhere: another passage with the same words, never this one.
  const elsewhere = (start: number, end: number) => changes.unchangedInNew(start, end);
  if (from.status === "orphaned") return findQuote(changes.after, quote, 0, { approximate: false, elsewhere });
  const mapped = changes.map(from.start, from.end);
  // The diff is by lines, refined by words: words it kept are the same words (by characters, "then" would keep "the"),
  // unless an insertion at an edge joined their first or last character (a combining mark: "strong" became "stronǵ").
  if (mapped && !insideCharacter(changes.after, mapped.start) && !insideCharacter(changes.after, mapped.end)) {
    const words = changes.after.slice(mapped.start, mapped.end);
    // Untouched: the same words as before, so the same status (a fuzzy match stays fuzzy, with its confidence).
    return words === quote.exact ? { status: "anchored", ...mapped, confidence: 1 } : { ...from, ...mapped };
  }
  return findQuote(changes.after, quote, changes.approximate(from.start), { elsewhere, budget });
}

/** The quote and context of [start, end) in `text`, as a TextQuoteSelector stores them. */
export function quoteAt(text: string, start: number, end: number): Quote {
  return { exact: text.slice(start, end), prefix: text.slice(Math.max(0, start - CONTEXT_CHARS), start), suffix: text.slice(end, end + CONTEXT_CHARS) };
}

/**
 * Where a quote a reader selected is on the revision's text: at the position
 * they sent when the words are there, otherwise the occurrence their context
 * points at (the browser's offsets may differ slightly). Null when it is not there.
 */
export function locateQuote(text: string, quote: Quote, start: number): { start: number; end: number } | null {
  const m = quote.exact.length;
  if (m === 0 || m > MAX_QUOTE) return null;
  if (text.slice(start, start + m) === quote.exact) return { start, end: start + m };
  // Only the exact words are accepted, so they are only looked for exactly: an approximate search here would run on the
  // request's thread, for anyone posting (a long quote over repetitive text costs seconds), to find words it then refuses.
  const found = findQuote(text, quote, start, { approximate: false });
  return found.status === "anchored" ? { start: found.start, end: found.end } : null;
}

/**
 * Passages carried from one text to another: the texts compared once for all
 * of them (the CPU worker's "anchors" job). Their approximate searches share
 * SEARCH_CELLS_PER_JOB, fairly: first each passage may spend an equal share of
 * half of it (so costly searches listed first, a spammer's threads about long
 * passages of periodic text, cannot leave cheap ones after them unplaced), then
 * those that needed more are searched again in order with what is left; once
 * it is spent, the passages left to search are unplaced.
 */
export function carryAnchors(before: string, after: string, items: { quote: Quote; from: Resolution }[], budget: SearchBudget = { cells: SEARCH_CELLS_PER_JOB }): Resolution[] {
  const changes = new TextChanges(before, after);
  const share = Math.floor(Math.max(0, budget.cells) / 2 / Math.max(1, items.length));
  const results = items.map((item) => {
    // A step of a search is charged once done (a piece of periodic text can trace a thousand matches): past the job's
    // budget no share is given, so the job overspends by one step at most, as before.
    const given = budget.cells > 0 ? share : 0;
    const own = { cells: given };
    const result = carryAnchor(changes, item.quote, item.from, own);
    budget.cells -= given - own.cells;
    return result;
  });
  // Those whose share ran out, searched whole (the first pass's work on them is not reused: at most half the budget).
  return results.map((result, i) => (result.status === "orphaned" && result.unplaced ? carryAnchor(changes, items[i]!.quote, items[i]!.from, budget) : result));
}
