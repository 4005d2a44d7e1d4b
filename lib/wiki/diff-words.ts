/**
 * The word diff inside a changed pair of lines or paragraphs. Only words are
 * compared (CJK: single characters, which are written without spaces); the
 * whitespace between them, line breaks included, follows the words around it,
 * so a re-wrapped paragraph marks nothing. Long texts are compared sentence by
 * sentence first, then word by word inside the sentences that differ.
 */
import { diffArrays } from "diff";
import type { WordPart } from "./diff-model";
import { alignIds, Interner } from "./diff-align";
import { DEFAULT_MAX_LINE_LENGTH } from "./diff-budget";
import { markCommon } from "./diff-lcs";
import { isSpace } from "./diff-text";

/** Words (CJK: single characters, which are written without spaces), whitespace runs, and single other characters. */
const TOKEN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{M}\p{N}_])+|\s+|./gsu;
/** Edits (inserted plus deleted words) the typed-array LCS takes on; beyond, jsdiff with its timeout. */
const FAST_EDITS = 256;
/** Above this many words on both sides together (or `sentenceFirstChars` characters), align sentences first. */
const SENTENCE_FIRST_WORDS = 2_000;
/** A gap between aligned sentences up to this many words (both sides) is diffed word by word; a larger one is marked whole. */
const MAX_GAP_WORDS = 4_000;

/** The tokens of a text, in order; they join to `text`. Linear: every alternative consumes what the others cannot. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Ids of tokens: a one-unit token (a CJK character, punctuation) is its own code, longer ones are interned above. */
export class TokenIds {
  private readonly ids = new Map<string, number>();
  id(token: string): number {
    if (token.length === 1) return token.charCodeAt(0);
    let id = this.ids.get(token);
    if (id === undefined) {
      id = 65_536 + this.ids.size;
      this.ids.set(token, id);
    }
    return id;
  }
}

export function sameIgnoringWhitespace(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && isSpace(a.charCodeAt(i))) i++;
    while (j < b.length && isSpace(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i++) !== b.charCodeAt(j++)) return false;
  }
}

/** The same words in the same order: only the whitespace between them (line breaks included) differs. */
export function sameWords(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    const spaceA = i < a.length && isSpace(a.charCodeAt(i));
    const spaceB = j < b.length && isSpace(b.charCodeAt(j));
    // Whitespace on one side only, between two words, would join or split a word.
    if (spaceA !== spaceB && i > 0 && j > 0 && i < a.length && j < b.length) return false;
    while (i < a.length && isSpace(a.charCodeAt(i))) i++;
    while (j < b.length && isSpace(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i++) !== b.charCodeAt(j++)) return false;
  }
}

/**
 * Whether an edit of `a[a0, a1)` into `b[b0, b1)` needs more than FAST_EDITS
 * insertions and deletions for sure: every word one side has more often than
 * the other must be inserted or deleted. O(n); spares the doomed typed-array
 * LCS on rewritten text.
 */
function surelyLarge(a: number[], b: number[], a0: number, a1: number, b0: number, b1: number): boolean {
  if (Math.abs(a1 - a0 - (b1 - b0)) > FAST_EDITS) return true;
  if (a1 - a0 + (b1 - b0) <= FAST_EDITS) return false;
  const balance = new Map<number, number>();
  for (let i = a0; i < a1; i++) balance.set(a[i]!, (balance.get(a[i]!) ?? 0) + 1);
  for (let j = b0; j < b1; j++) balance.set(b[j]!, (balance.get(b[j]!) ?? 0) - 1);
  let bound = 0;
  for (const difference of balance.values()) bound += Math.abs(difference);
  return bound > FAST_EDITS;
}

/** A side's words (positions into its tokens) and their ids. */
type Side = { tokens: string[]; words: number[]; ids: number[] };

function side(text: string, interner: TokenIds): Side {
  const tokens = tokenize(text);
  const words: number[] = [];
  const ids: number[] = [];
  tokens.forEach((token, k) => {
    if (isSpace(token.charCodeAt(0))) return;
    words.push(k);
    ids.push(interner.id(token));
  });
  return { tokens, words, ids };
}

const SENTENCE_END = new Set([".", "!", "?", "。", "！", "？", ";", "；"]);

/** Sentence ids over a side's words (a sentence ends after . ! ? and their CJK forms), with each sentence's first word. */
function sentences(s: Side, interner: Interner): { ids: number[]; starts: number[] } {
  const ids: number[] = [];
  const starts: number[] = [];
  let from = 0;
  for (let w = 0; w < s.ids.length; w++) {
    if (w + 1 === s.ids.length || SENTENCE_END.has(s.tokens[s.words[w]!]!)) {
      starts.push(from);
      ids.push(interner.id(s.ids.slice(from, w + 1).join(",")));
      from = w + 1;
    }
  }
  starts.push(s.ids.length);
  return { ids, starts };
}

/**
 * Mark which words of each side are unchanged (`keptA[w]`, `keptB[w]`):
 * a longest common subsequence of words, by sentences first when the texts
 * are long. Null when it does not finish by `deadline`.
 */
function matchWords(a: Side, b: Side, deadline: number, sentenceFirst: boolean, smallOnly = false): { keptA: Uint8Array; keptB: Uint8Array } | "large" | null {
  const keptA = new Uint8Array(a.ids.length);
  const keptB = new Uint8Array(b.ids.length);
  let large = false;
  const diffRange = (a0: number, a1: number, b0: number, b1: number): boolean => {
    if (a0 === a1 || b0 === b1) return true;
    if (a1 - a0 + (b1 - b0) > MAX_GAP_WORDS) return true; // marked whole
    if (!surelyLarge(a.ids, b.ids, a0, a1, b0, b1) && markCommon(a.ids, b.ids, { a0, a1, b0, b1 }, keptA, keptB, FAST_EDITS)) return true;
    if (smallOnly) {
      large = true;
      return false;
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) return false;
    const changes = diffArrays(a.ids.slice(a0, a1), b.ids.slice(b0, b1), { timeout: Math.max(1, Math.floor(remaining)) });
    if (!changes) return false;
    let x = a0;
    let y = b0;
    for (const change of changes) {
      if (change.added) y += change.count;
      else if (change.removed) x += change.count;
      else {
        keptA.fill(1, x, x + change.count);
        keptB.fill(1, y, y + change.count);
        x += change.count;
        y += change.count;
      }
    }
    return true;
  };
  if (!sentenceFirst) return diffRange(0, a.ids.length, 0, b.ids.length) ? { keptA, keptB } : large ? "large" : null;

  const interner = new Interner();
  const sa = sentences(a, interner);
  const sb = sentences(b, interner);
  const runs = alignIds(sa.ids, sb.ids, deadline);
  if (!runs) return null;
  let i = 0;
  let j = 0;
  for (const run of [...runs, { oldIndex: sa.ids.length, newIndex: sb.ids.length, length: 0 }]) {
    if (!diffRange(sa.starts[i]!, sa.starts[run.oldIndex]!, sb.starts[j]!, sb.starts[run.newIndex]!)) return large ? "large" : null;
    const fromA = sa.starts[run.oldIndex]!;
    const fromB = sb.starts[run.newIndex]!;
    const words = sa.starts[run.oldIndex + run.length]! - fromA;
    keptA.fill(1, fromA, fromA + words);
    keptB.fill(1, fromB, fromB + words);
    i = run.oldIndex + run.length;
    j = run.newIndex + run.length;
  }
  return { keptA, keptB };
}

/**
 * A side's parts: each word is `same` or `changed`; whitespace joins a change
 * when the words on both sides of it changed, and is `same` otherwise.
 */
function partsOf(s: Side, kept: Uint8Array, changed: "added" | "removed"): WordPart[] {
  const parts: WordPart[] = [];
  const push = (type: WordPart["type"], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.type === type) last.text += text;
    else parts.push({ type, text });
  };
  const status = new Uint8Array(s.tokens.length); // 1: changed
  s.words.forEach((k, w) => {
    if (!kept[w]) status[k] = 1;
  });
  s.tokens.forEach((token, k) => {
    if (isSpace(token.charCodeAt(0))) {
      // Whitespace is a token of its own, so its neighbours are words or other characters.
      const inside = k > 0 && k + 1 < s.tokens.length && status[k - 1] === 1 && status[k + 1] === 1;
      push(inside ? changed : "same", token);
    } else push(status[k] ? changed : "same", token);
  });
  return parts;
}

/** A pair's word parts, and its likeness: the share of the shorter side's characters left unchanged (0 to 1). */
export type WordDiff = { oldParts: WordPart[]; newParts: WordPart[]; likeness: number };

/**
 * Word-level parts of a changed pair (lines, or paragraphs of several lines),
 * or null when the diff does not finish by `deadline`. With `smallOnly`, an
 * edit of more than FAST_EDITS words is not diffed: the answer is "large" (the
 * caller first asks whether the texts are alike at all). Each side's parts join
 * to its text; only words (CJK: characters) and the whitespace between two
 * changed words are ever marked.
 */
export function wordParts(
  a: string,
  b: string,
  deadline: number,
  sentenceFirstChars = DEFAULT_MAX_LINE_LENGTH,
  smallOnly = false,
): WordDiff | "large" | null {
  if (performance.now() >= deadline) return null;
  if (sameWords(a, b)) return { oldParts: a ? [{ type: "same", text: a }] : [], newParts: b ? [{ type: "same", text: b }] : [], likeness: 1 };
  // The shared start and end, cut where a token must end, are not tokenised at all.
  const [start, end] = sharedEdges(a, b);
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const interner = new TokenIds();
  const sa = side(midA, interner);
  const sb = side(midB, interner);
  const kept = matchWords(sa, sb, deadline, sa.ids.length + sb.ids.length > SENTENCE_FIRST_WORDS || midA.length + midB.length > sentenceFirstChars, smallOnly);
  if (kept === "large" || !kept) return kept;
  let keptChars = 0;
  kept.keptA.forEach((k, w) => (keptChars += k ? sa.tokens[sa.words[w]!]!.length : 0));
  const edge = (text: string, from: number, to: number): WordPart[] => (to > from ? [{ type: "same", text: text.slice(from, to) }] : []);
  const join = (head: WordPart[], middle: WordPart[], tail: WordPart[]) => {
    const parts = [...head];
    for (const part of [...middle, ...tail]) {
      const last = parts[parts.length - 1];
      if (last?.type === part.type) last.text += part.text;
      else parts.push({ ...part });
    }
    return parts;
  };
  return {
    oldParts: join(edge(a, 0, start), partsOf(sa, kept.keptA, "removed"), edge(a, a.length - end, a.length)),
    newParts: join(edge(b, 0, start), partsOf(sb, kept.keptB, "added"), edge(b, b.length - end, b.length)),
    // How much of the shorter side stays: an insertion into a line (or paragraph) leaves it alike.
    likeness: Math.min(1, (start + end + keptChars) / Math.max(1, Math.min(a.length, b.length))),
  };
}

/** Whether a token always ends before `text[i]` starts: after whitespace or a CJK character (each its own token). */
function boundaryAfter(text: string, i: number): boolean {
  if (i <= 0) return true;
  const code = text.charCodeAt(i - 1);
  return isSpace(code) || (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff);
}

/** Whether a token always starts at `text[i]`: at whitespace or a CJK character. */
function boundaryAt(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const code = text.charCodeAt(i);
  return isSpace(code) || (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff);
}

/** Lengths of the shared start and end of `a` and `b`, not overlapping, each cut back to a token boundary. */
function sharedEdges(a: string, b: string): [number, number] {
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  while (start > 0 && !boundaryAfter(a, start)) start--;
  let end = 0;
  while (end < shorter - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  while (end > 0 && !boundaryAt(a, a.length - end)) end--;
  return [start, end];
}

/** The line (0-based) of each word of a side, from the line breaks in the whitespace before it. */
function wordLines(s: Side): Int32Array {
  const lines = new Int32Array(s.words.length);
  let line = 0;
  let w = 0;
  s.tokens.forEach((token, k) => {
    if (s.words[w] === k) lines[w++] = line;
    else if (isSpace(token.charCodeAt(0))) for (let i = token.indexOf("\n"); i !== -1; i = token.indexOf("\n", i + 1)) line++;
  });
  return lines;
}

/**
 * Whether the words two versions of a paragraph share crossed line breaks:
 * the kept words of one old line are now on two new lines, or one new line
 * holds kept words of two old lines (a re-flow or re-wrap). An edit inside
 * lines, or an added or removed line, moves no break. Null when the word diff
 * does not finish by `deadline`.
 */
export function lineBreaksMoved(a: string, b: string, deadline: number): boolean | null {
  const interner = new TokenIds();
  const sa = side(a, interner);
  const sb = side(b, interner);
  const kept = matchWords(sa, sb, deadline, sa.ids.length + sb.ids.length > SENTENCE_FIRST_WORDS);
  if (kept === "large" || !kept) return null;
  const linesA = wordLines(sa);
  const linesB = wordLines(sb);
  let j = 0;
  let previous: [number, number] | null = null;
  for (let i = 0; i < sa.ids.length; i++) {
    if (!kept.keptA[i]) continue;
    while (!kept.keptB[j]) j++;
    const here: [number, number] = [linesA[i]!, linesB[j]!];
    j++;
    if (previous && (previous[0] === here[0]) !== (previous[1] === here[1])) return true;
    previous = here;
  }
  return false;
}
