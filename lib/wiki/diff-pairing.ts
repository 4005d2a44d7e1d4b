/**
 * Pairing what a change block removed with what it added, into "changed"
 * rows, by similarity: line with line, or a paragraph (a run of non-blank
 * lines) with a paragraph when its line breaks moved (a re-wrap, or an edit
 * that re-flowed the lines after it).
 */
import type { Block, Moves, Span } from "./diff-model";
import { Interner } from "./diff-align";
import { isBlank, isSpace } from "./diff-text";
import { lineBreaksMoved, tokenize } from "./diff-words";

/** Below this similarity a removed and an added text are not paired (also the word diff's test of an unchecked pair). */
export const PAIR_THRESHOLD = 0.4;
/** Lines sharing this much prefix and suffix need no word comparison to rank them. */
const CLEARLY_SIMILAR = 0.8;
/** How far ahead pairing looks for a partner, and how much better a later line must be to win it. */
const PAIR_WINDOW = 12;
const PAIR_PREFER_MARGIN = 0.15;

/** Multisets of a line's lower-cased non-space tokens and of adjacent token pairs, as interned ids. */
type Bag = { words: Map<number, number>; wordCount: number; pairs: Map<number, number>; pairCount: number };

/** Keeps pair ids (first × PAIR_SCALE + second) exact: no text has 2^26 distinct tokens. */
const PAIR_SCALE = 2 ** 26;

function bagOf(text: string, tokenIds: Interner): Bag {
  const words = new Map<number, number>();
  const pairs = new Map<number, number>();
  let previous = -1;
  let wordCount = 0;
  for (const token of tokenize(text.toLowerCase())) {
    if (isSpace(token.charCodeAt(0))) continue;
    const id = tokenIds.id(token);
    words.set(id, (words.get(id) ?? 0) + 1);
    wordCount++;
    if (previous >= 0) {
      const pair = previous * PAIR_SCALE + id;
      pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    previous = id;
  }
  return { words, wordCount, pairs, pairCount: Math.max(0, wordCount - 1) };
}

function dice(x: Map<number, number>, xSize: number, y: Map<number, number>, ySize: number): number {
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let common = 0;
  for (const [token, count] of small) common += Math.min(count, large.get(token) ?? 0);
  return (2 * common) / (xSize + ySize);
}

/**
 * Similarity in [0, 1]: the larger of the share covered by the common prefix
 * and suffix, and the mean Dice coefficient of the texts' words and word
 * pairs (pairs keep shuffled or merely same-vocabulary lines apart).
 */
function similarity(a: string, b: string, bagA: () => Bag, bagB: () => Bag): number {
  if (a === b) return 1;
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  const edges = (prefix + suffix) / Math.max(a.length, b.length);
  if (edges >= CLEARLY_SIMILAR) return edges;

  const x = bagA();
  const y = bagB();
  if (x.wordCount + y.wordCount === 0) return 1;
  const pairTotal = x.pairCount + y.pairCount;
  const wordBound = (2 * Math.min(x.wordCount, y.wordCount)) / (x.wordCount + y.wordCount);
  const pairBound = pairTotal === 0 ? wordBound : (2 * Math.min(x.pairCount, y.pairCount)) / pairTotal;
  if ((wordBound + pairBound) / 2 < PAIR_THRESHOLD) return edges;
  const words = dice(x.words, x.wordCount, y.words, y.wordCount);
  const pairs = pairTotal === 0 ? words : dice(x.pairs, x.pairCount, y.pairs, y.pairCount);
  return Math.max(edges, (words + pairs) / 2);
}

/** Scores pairs of texts, each text's bag of words made once; `work` counts characters compared since the last clock check. */
class Scorer {
  private readonly tokenIds = new Interner();
  private readonly oldBags: (Bag | undefined)[] = [];
  private readonly newBags: (Bag | undefined)[] = [];
  work = 0;
  constructor(
    private readonly oldTexts: string[],
    private readonly newTexts: string[],
  ) {}
  score(i: number, j: number): number {
    const a = this.oldTexts[i]!;
    const b = this.newTexts[j]!;
    this.work += 64 + Math.min(a.length, b.length);
    return similarity(
      a,
      b,
      () => (this.oldBags[i] ??= bagOf(a, this.tokenIds)),
      () => (this.newBags[j] ??= bagOf(b, this.tokenIds)),
    );
  }
}

/** The similarity of two texts (0 to 1), as pairing scores them. */
export function similarityOf(a: string, b: string): number {
  return new Scorer([a], [b]).score(0, 0);
}

/**
 * Pair removed with added texts, in order on both sides: each removed text
 * takes its most similar partner among the next few unpaired added ones,
 * unless a later removed text clearly wants it more. Indices into the arrays.
 */
function pairTexts(oldTexts: string[], newTexts: string[], deadline: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  if (oldTexts.length === 0 || newTexts.length === 0) return pairs;
  const scorer = new Scorer(oldTexts, newTexts);
  let next = 0;
  for (let r = 0; r < oldTexts.length && next < newTexts.length; r++) {
    if (scorer.work >= 8192) {
      if (performance.now() > deadline) break;
      scorer.work = 0;
    }
    let best = -1;
    let bestAt = -1;
    for (let j = next; j < Math.min(newTexts.length, next + PAIR_WINDOW) && best < 1; j++) {
      const s = scorer.score(r, j);
      if (s > best) {
        best = s;
        bestAt = j;
      }
    }
    if (best < PAIR_THRESHOLD) continue;
    let wanted = false;
    for (let r2 = r + 1; r2 < Math.min(oldTexts.length, r + PAIR_WINDOW) && !wanted; r2++) {
      wanted = scorer.score(r2, bestAt) > best + PAIR_PREFER_MARGIN;
    }
    if (wanted) continue;
    pairs.push([r, bestAt]);
    next = bestAt + 1;
  }
  return pairs;
}

/** A run of at most this many non-blank lines (each side) is a paragraph, paired whole; a longer one is paired line by line. */
const MAX_PARAGRAPH_LINES = 60;

/** Runs of consecutive unmoved non-blank lines of `[from, to)` as [start, end) (single lines included; long runs as single lines). */
function paragraphsOf(lines: string[], moved: Int32Array, from: number, to: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    if (moved[i] || isBlank(lines[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < to && !moved[j] && !isBlank(lines[j]!)) j++;
    // A longer run is no paragraph of prose (a table, a list, code): its lines are paired one by one.
    if (j - i > MAX_PARAGRAPH_LINES) for (let k = i; k < j; k++) runs.push([k, k + 1]);
    else runs.push([i, j]);
    i = j;
  }
  return runs;
}

const lineSpan = (p: number, q: number): Span => ({ oldStart: p, oldEnd: p + 1, newStart: q, newEnd: q + 1 });

/** Pair the unmoved removed and added lines of `[oldStart, oldEnd) × [newStart, newEnd)` line by line. */
function pairLinesIn(block: Block, oldLines: string[], newLines: string[], moves: Moves, deadline: number): Span[] {
  const removed: number[] = [];
  for (let p = block.oldStart; p < block.oldEnd; p++) if (!moves.old[p]) removed.push(p);
  const added: number[] = [];
  for (let q = block.newStart; q < block.newEnd; q++) if (!moves.new[q]) added.push(q);
  // One line each: nothing to choose between, and the word diff the row needs anyway judges the likeness.
  if (removed.length === 1 && added.length === 1) return [{ ...lineSpan(removed[0]!, added[0]!), unchecked: true }];
  const pairs = pairTexts(
    removed.map((p) => oldLines[p]!),
    added.map((q) => newLines[q]!),
    deadline,
  );
  return pairs.map(([r, a]) => lineSpan(removed[r]!, added[a]!));
}

/**
 * The changed rows of one change block, in order on both sides: spans of one
 * line each, or of a whole paragraph on each side. Re-wrapped paragraphs found
 * before the line diff (`fixed`) are rows of their own. Other paragraphs are
 * paired when either has several lines; a pair keeps line rows when no word
 * crossed a line break (an edit inside lines, an added line), and becomes one
 * paragraph row when words did (a re-flow). Lines left over between paired
 * paragraphs are paired line by line.
 */
export function pairLines(block: Block, oldLines: string[], newLines: string[], moves: Moves, deadline: number, fixed: Span[] = []): Span[] {
  const inBlock = fixed.filter((span) => span.oldStart >= block.oldStart && span.oldEnd <= block.oldEnd);
  if (inBlock.length === 0) return pairFree(block, oldLines, newLines, moves, deadline);
  // Re-wrapped paragraphs (found before the line diff) are rows of their own; what lies between is paired freely.
  const spans: Span[] = [];
  let p = block.oldStart;
  let q = block.newStart;
  for (const span of inBlock) {
    spans.push(...pairFree({ oldStart: p, oldEnd: span.oldStart, newStart: q, newEnd: span.newStart }, oldLines, newLines, moves, deadline), span);
    p = span.oldEnd;
    q = span.newEnd;
  }
  spans.push(...pairFree({ oldStart: p, oldEnd: block.oldEnd, newStart: q, newEnd: block.newEnd }, oldLines, newLines, moves, deadline));
  return spans;
}

function pairFree(block: Block, oldLines: string[], newLines: string[], moves: Moves, deadline: number): Span[] {
  if (block.oldStart === block.oldEnd || block.newStart === block.newEnd) return [];
  const oldParagraphs = paragraphsOf(oldLines, moves.old, block.oldStart, block.oldEnd);
  const newParagraphs = paragraphsOf(newLines, moves.new, block.newStart, block.newEnd);
  const several = (runs: Array<[number, number]>) => runs.some(([s, e]) => e - s > 1);
  if (!several(oldParagraphs) && !several(newParagraphs)) return pairLinesIn(block, oldLines, newLines, moves, deadline);

  const text = (lines: string[], [s, e]: [number, number]) => lines.slice(s, e).join("\n");
  // One paragraph each (the usual re-wrap or re-flow): nothing to choose between; the word diff judges the likeness.
  const only = oldParagraphs.length === 1 && newParagraphs.length === 1;
  const pairs: Array<[number, number]> = only
    ? [[0, 0]]
    : pairTexts(
        oldParagraphs.map((run) => text(oldLines, run)),
        newParagraphs.map((run) => text(newLines, run)),
        deadline,
      );
  const spans: Span[] = [];
  let p = block.oldStart;
  let q = block.newStart;
  for (const [i, j] of pairs) {
    const [os, oe] = oldParagraphs[i]!;
    const [ns, ne] = newParagraphs[j]!;
    spans.push(...pairLinesIn({ oldStart: p, oldEnd: os, newStart: q, newEnd: ns }, oldLines, newLines, moves, deadline));
    const lines = lineSpansKept(oldLines, newLines, moves, [os, oe], [ns, ne], only, deadline);
    spans.push(...(lines ?? [{ oldStart: os, oldEnd: oe, newStart: ns, newEnd: ne, ...(only ? { unchecked: true } : {}) }]));
    p = oe;
    q = ne;
  }
  spans.push(...pairLinesIn({ oldStart: p, oldEnd: block.oldEnd, newStart: q, newEnd: block.newEnd }, oldLines, newLines, moves, deadline));
  return spans;
}

/**
 * Line rows for a pair of paragraphs whose line breaks stayed where they were
 * (an edit inside lines, an added or removed line), or null when words crossed
 * line breaks (a re-wrap, a re-flow after an edit): then the paragraph is one
 * row and its word diff ignores line breaks.
 */
function lineSpansKept(
  oldLines: string[],
  newLines: string[],
  moves: Moves,
  [os, oe]: [number, number],
  [ns, ne]: [number, number],
  unchecked: boolean,
  deadline: number,
): Span[] | null {
  if (lineBreaksMoved(oldLines.slice(os, oe).join("\n"), newLines.slice(ns, ne).join("\n"), deadline)) return null;
  const spans =
    oe - os === ne - ns
      ? Array.from({ length: oe - os }, (_, k): Span => ({ ...lineSpan(os + k, ns + k), unchecked: true }))
      : pairLinesIn({ oldStart: os, oldEnd: oe, newStart: ns, newEnd: ne }, oldLines, newLines, moves, deadline);
  // No line pairs with the other (short lines, much inserted): the paragraph as one row marks only what changed.
  if (spans.length === 0) return null;
  return unchecked ? spans.map((span) => ({ ...span, unchecked: true })) : spans;
}
