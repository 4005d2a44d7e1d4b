/** Pairing removed with added lines of a change block into "changed" rows, by similarity. */
import type { Block, Moves } from "./diff-model";
import { Interner } from "./diff-align";
import { isSpace } from "./diff-text";
import { tokenize } from "./diff-words";

const PAIR_THRESHOLD = 0.4;
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
 * and suffix, and the mean Dice coefficient of the lines' words and word
 * pairs (pairs keep shuffled or merely same-vocabulary lines apart).
 * Over-long lines are judged by prefix and suffix only.
 */
function similarity(a: string, b: string, maxLineLength: number, bagA: () => Bag, bagB: () => Bag): number {
  if (a === b) return 1;
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  const edges = (prefix + suffix) / Math.max(a.length, b.length);
  if (edges >= CLEARLY_SIMILAR || a.length > maxLineLength || b.length > maxLineLength) return edges;

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

/**
 * Pair removed with added lines of one change block, in order on both sides:
 * each removed line takes its most similar partner among the next few
 * unpaired added lines, unless a later removed line clearly wants it more.
 */
export function pairLines(
  block: Block,
  oldLines: string[],
  newLines: string[],
  moves: Moves,
  maxLineLength: number,
  deadline: number,
): Array<[number, number]> {
  const removed: number[] = [];
  for (let p = block.oldStart; p < block.oldEnd; p++) if (!moves.old[p]) removed.push(p);
  const added: number[] = [];
  for (let q = block.newStart; q < block.newEnd; q++) if (!moves.new[q]) added.push(q);
  const pairs: Array<[number, number]> = [];
  if (removed.length === 0 || added.length === 0) return pairs;

  const tokenIds = new Interner();
  const oldBags = new Map<number, Bag>();
  const newBags = new Map<number, Bag>();
  const bag = (bags: Map<number, Bag>, lines: string[], i: number) => () => {
    let found = bags.get(i);
    if (!found) bags.set(i, (found = bagOf(lines[i]!, tokenIds)));
    return found;
  };
  let work = 0;
  const score = (p: number, q: number) => {
    work++;
    return similarity(oldLines[p]!, newLines[q]!, maxLineLength, bag(oldBags, oldLines, p), bag(newBags, newLines, q));
  };

  let next = 0;
  for (let r = 0; r < removed.length && next < added.length; r++) {
    if (work >= 32) {
      if (performance.now() > deadline) break;
      work = 0;
    }
    const p = removed[r]!;
    let best = -1;
    let bestAt = -1;
    for (let j = next; j < Math.min(added.length, next + PAIR_WINDOW) && best < 1; j++) {
      const s = score(p, added[j]!);
      if (s > best) {
        best = s;
        bestAt = j;
      }
    }
    if (best < PAIR_THRESHOLD) continue;
    const q = added[bestAt]!;
    let wanted = false;
    for (let r2 = r + 1; r2 < Math.min(removed.length, r + PAIR_WINDOW) && !wanted; r2++) {
      wanted = score(removed[r2]!, q) > best + PAIR_PREFER_MARGIN;
    }
    if (wanted) continue;
    pairs.push([p, q]);
    next = bestAt + 1;
  }
  return pairs;
}
