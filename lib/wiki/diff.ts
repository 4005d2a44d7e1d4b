/**
 * Revision diff engine (pure; no I/O). Modelled on MediaWiki's: a line diff,
 * removed/added lines paired into "changed" rows when similar, word-level
 * highlights inside those pairs only, moved paragraphs, structured
 * front-matter changes — all under a hard time budget, degrading to a
 * paragraph-level view (and finally to "all replaced") when it runs out.
 */
import { diffArrays, type ChangeObject } from "diff";
import { parse as parseYaml } from "yaml";

export type DiffOptions = {
  /** Hard time budget for the whole diff, in milliseconds (default 1000). */
  budgetMs?: number;
  /** Lines longer than this many characters get no word diff (default 10 000). */
  maxLineLength?: number;
};
export type WordPart = { type: "same" | "added" | "removed"; text: string };
export type DiffRow =
  | { kind: "context"; oldLine: number; newLine: number; text: string }
  | { kind: "added"; newLine: number; text: string; moveId?: number }
  | { kind: "removed"; oldLine: number; text: string; moveId?: number }
  | {
      kind: "changed";
      oldLine: number;
      newLine: number;
      oldText: string;
      newText: string;
      oldParts: WordPart[] | null;
      newParts: WordPart[] | null;
      whitespaceOnly: boolean;
    };
/**
 * A changed region with its context rows; line numbers are 1-based. A side
 * with no lines in the hunk starts at the line that follows the change.
 */
export type DiffHunk = { oldStart: number; newStart: number; rows: DiffRow[] };
export type FieldChange = { field: string; label: string; before: unknown; after: unknown };
export type RevisionDiff = {
  hunks: DiffHunk[];
  /** Row counts: plain added/removed lines, changed pairs, and moved lines (each counted once). */
  stats: { added: number; removed: number; changed: number; moved: number };
  fields: FieldChange[];
  /** True when no line differs (line endings, a BOM and a final newline are not differences). */
  identical: boolean;
  coarse: null | { reason: string };
};

const DEFAULT_BUDGET_MS = 1000;
const DEFAULT_MAX_LINE_LENGTH = 10_000;
const DEFAULT_CONTEXT = 3;
/** Share of the budget after which the line diff gives up, then the paragraph diff. */
const LINE_STAGE_SHARE = 0.6;
const PARAGRAPH_STAGE_SHARE = 0.85;
/** Pairing, moves and word highlights stop here, leaving the rest for assembling rows. */
const DETAIL_STAGE_SHARE = 0.9;
/** Beyond this many lines (both sides, after trimming) go straight to the cheaper stages. */
const MAX_LINE_ITEMS = 400_000;
const MAX_PARAGRAPH_ITEMS = 400_000;
/** Myers costs about 50-70 ns × (edit distance)² here; below this many items it is never worth estimating. */
const MYERS_MS_PER_EDIT_SQUARED = 30e-6;
const MYERS_EASY_ITEMS = 2000;
/** Gaps between paragraph anchors up to this many units get an exact diff. */
const SMALL_GAP_ITEMS = 200;
const PAIR_THRESHOLD = 0.4;
/** Lines sharing this much prefix and suffix need no word comparison to rank them. */
const CLEARLY_SIMILAR = 0.8;
/** How far ahead pairing looks for a partner, and how much better a later line must be to win it. */
const PAIR_WINDOW = 12;
const PAIR_PREFER_MARGIN = 0.15;
const MIN_MOVE_CHARS = 20;
const MOVE_CANDIDATES = 8;
const MAX_FRONT_MATTER_CHARS = 64 * 1024;

const COARSE_PARAGRAPHS =
  "The line-by-line comparison did not finish within the time budget; changes are shown paragraph by paragraph.";
const COARSE_REPLACED =
  "The revisions are too large or too different to compare within the time budget; the changed region is shown as removed and re-added.";

const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  kind: "Kind",
  summary: "Summary",
  dimension: "Dimension",
  tkm: "TKM side",
  sl: "SL side",
  tags: "Tags",
  sources: "Sources",
};

type Run = { oldIndex: number; newIndex: number; length: number };
type Block = { oldStart: number; oldEnd: number; newStart: number; newEnd: number };
type Moves = { old: Int32Array; new: Int32Array };
/** The differing lines of both sides; `offset` shared lines precede them. */
type Lines = { old: string[]; new: string[]; offset: number };

/**
 * Compare two revisions of a page (MDX with YAML front matter).
 *
 * `context` is the number of unchanged lines shown around each change
 * (default 3; `Infinity` shows the whole page in one hunk). The work is bounded
 * by `budgetMs`: when the line diff cannot finish in time the result is
 * paragraph-level (or whole-region) and `coarse` says so; word highlights that
 * do not fit are left `null`.
 */
export function diffRevisions(
  oldText: string,
  newText: string,
  options: DiffOptions & { context?: number } = {},
): RevisionDiff {
  const start = performance.now();
  const budget = nonNegative(options.budgetMs, DEFAULT_BUDGET_MS);
  const maxLineLength = nonNegative(options.maxLineLength, DEFAULT_MAX_LINE_LENGTH);
  const context = Math.floor(nonNegative(options.context, DEFAULT_CONTEXT));
  const deadline = start + budget * DETAIL_STAGE_SHARE;

  const a = normalise(oldText);
  const b = normalise(newText);
  // Only the region between the shared leading and trailing lines is split and diffed.
  const span = differingSpan(a, b);
  const offset = countLines(a, 0, span.start);
  const oldLines = toLines(a.slice(span.start, span.oldEnd));
  const newLines = toLines(b.slice(span.start, span.newEnd));

  const shorter = Math.min(oldLines.length, newLines.length);
  let prefix = 0;
  while (prefix < shorter && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  ) {
    suffix++;
  }
  const stats = { added: 0, removed: 0, changed: 0, moved: 0 };
  if (prefix === oldLines.length && prefix === newLines.length) {
    return { hunks: [], stats, fields: [], identical: true, coarse: null };
  }

  const fields = frontMatterChanges(a, b);
  const oldEnd = oldLines.length - suffix;
  const newEnd = newLines.length - suffix;
  const items = oldEnd - prefix + (newEnd - prefix);

  let coarse: RevisionDiff["coarse"] = null;
  let runs =
    items <= MAX_LINE_ITEMS
      ? alignLines(oldLines, newLines, prefix, oldEnd, newEnd, start + budget * LINE_STAGE_SHARE)
      : null;
  if (!runs) {
    coarse = { reason: COARSE_PARAGRAPHS };
    runs =
      items <= MAX_PARAGRAPH_ITEMS
        ? alignParagraphs(oldLines, newLines, prefix, oldEnd, newEnd, start + budget * PARAGRAPH_STAGE_SHARE)
        : null;
  }
  if (!runs) {
    coarse = { reason: COARSE_REPLACED };
    runs = [];
  }

  const blocks = blocksBetween(runs, prefix, oldEnd, prefix, newEnd);
  const moves: Moves = { old: new Int32Array(oldLines.length), new: new Int32Array(newLines.length) };
  // The coarse view pairs nothing, so a line found elsewhere in its own block has moved too.
  if (coarse?.reason !== COARSE_REPLACED) detectMoves(blocks, oldLines, newLines, moves, coarse !== null, deadline);

  const lines: Lines = { old: oldLines, new: newLines, offset };
  const blockRows = blocks.map((block) => {
    const pairs = coarse ? [] : pairLines(block, oldLines, newLines, moves, maxLineLength, deadline);
    const rows = rowsForBlock(block, pairs, lines, moves, maxLineLength, deadline);
    for (const row of rows) {
      if (row.kind === "changed") stats.changed++;
      else if (row.kind === "added") stats[row.moveId ? "moved" : "added"]++;
      else if (row.kind === "removed" && !row.moveId) stats.removed++;
    }
    return rows;
  });

  const oldTotal = offset + oldLines.length + countLines(a, span.oldEnd, a.length);
  const before = linesBefore(a, span.start, Math.min(context, offset));
  const after = linesAfter(a, span.oldEnd, Math.min(context, oldTotal - offset - oldLines.length));
  const textAt = (line: number) =>
    line < 0
      ? before[before.length + line]!
      : line < oldLines.length
        ? oldLines[line]!
        : after[line - oldLines.length]!;

  return {
    hunks: buildHunks(blocks, blockRows, { offset, total: oldTotal, textAt }, context),
    stats,
    fields,
    identical: false,
    coarse,
  };
}

/**
 * Structured front-matter changes, in a stable order (title, kind, summary,
 * dimension, tkm, sl, tags, sources, then other keys). Values are compared
 * deeply; unchanged fields are absent; a missing field is `undefined`.
 */
export function diffFields(oldFields: Record<string, unknown>, newFields: Record<string, unknown>): FieldChange[] {
  const keys = new Set<string>();
  for (const key of Object.keys(FIELD_LABELS)) {
    if (Object.hasOwn(oldFields, key) || Object.hasOwn(newFields, key)) keys.add(key);
  }
  for (const key of Object.keys(oldFields)) keys.add(key);
  for (const key of Object.keys(newFields)) keys.add(key);

  const changes: FieldChange[] = [];
  for (const field of keys) {
    const before = Object.hasOwn(oldFields, field) ? oldFields[field] : undefined;
    const after = Object.hasOwn(newFields, field) ? newFields[field] : undefined;
    if (!deepEqual(before, after, 0)) {
      changes.push({ field, label: Object.hasOwn(FIELD_LABELS, field) ? FIELD_LABELS[field]! : field, before, after });
    }
  }
  return changes;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : Math.max(0, value);
}

function normalise(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return t.includes("\r") ? t.replace(/\r\n?/g, "\n") : t;
}

function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Length of the common prefix of two strings, compared in native-sized chunks. */
function commonPrefix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) {
      i += step;
    }
  }
  return i;
}

function atLineStart(text: string, index: number): boolean {
  return index === 0 || text.charCodeAt(index - 1) === 10;
}

/**
 * Character offsets bounding the lines that may differ: `a` and `b` share
 * `[0, start)` and their tails from `oldEnd` / `newEnd`, all on line starts.
 */
function differingSpan(a: string, b: string): { start: number; oldEnd: number; newEnd: number } {
  let start = commonPrefix(a, b, Math.min(a.length, b.length));
  start = start === 0 ? 0 : a.lastIndexOf("\n", start - 1) + 1;
  const tail = commonSuffix(a, b, Math.min(a.length, b.length) - start);
  let oldEnd = a.length - tail;
  let newEnd = b.length - tail;
  if (!atLineStart(a, oldEnd) || !atLineStart(b, newEnd)) {
    const newline = a.indexOf("\n", oldEnd);
    const skip = newline === -1 ? tail : newline + 1 - oldEnd;
    oldEnd += skip;
    newEnd += skip;
  }
  return { start, oldEnd, newEnd };
}

/** Number of lines in `text[from, to)`, where `from` is a line start. */
function countLines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return to > from && text.charCodeAt(to - 1) !== 10 ? count + 1 : count;
}

/** The `count` lines ending just before line start `index`. */
function linesBefore(text: string, index: number, count: number): string[] {
  const lines: string[] = [];
  let end = index - 1;
  while (lines.length < count && end >= 0) {
    const lineStart = text.lastIndexOf("\n", end - 1) + 1;
    lines.push(text.slice(lineStart, end));
    end = lineStart - 1;
  }
  return lines.reverse();
}

/** The `count` lines starting at line start `index`. */
function linesAfter(text: string, index: number, count: number): string[] {
  const lines: string[] = [];
  let from = index;
  while (lines.length < count && from < text.length) {
    const newline = text.indexOf("\n", from);
    const lineEnd = newline === -1 ? text.length : newline;
    lines.push(text.slice(from, lineEnd));
    from = lineEnd + 1;
  }
  return lines;
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

// ---------------------------------------------------------------- alignment

class Interner {
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(value, id);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

function addMatch(runs: Run[], oldIndex: number, newIndex: number, length: number): void {
  const last = runs[runs.length - 1];
  if (last && last.oldIndex + last.length === oldIndex && last.newIndex + last.length === newIndex) last.length += length;
  else if (length > 0) runs.push({ oldIndex, newIndex, length });
}

/** Indices into `values` of a longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasing(values: number[]): number[] {
  const tails: number[] = [];
  const previous = new Int32Array(values.length);
  values.forEach((value, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = i;
  });
  const result: number[] = [];
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) result.push(i);
  return result.reverse();
}

/**
 * Items occurring exactly once on each side (`uniqueCommon` of them), and the
 * longest run of them in the same order on both sides as [indexInA, indexInB].
 */
function uniqueAnchors(a: number[], b: number[]): { anchors: Array<[number, number]>; uniqueCommon: number } {
  const countA = new Map<number, number>();
  for (const id of a) countA.set(id, (countA.get(id) ?? 0) + 1);
  const countB = new Map<number, number>();
  const positionB = new Map<number, number>();
  b.forEach((id, j) => {
    countB.set(id, (countB.get(id) ?? 0) + 1);
    positionB.set(id, j);
  });
  const fromA: number[] = [];
  const toB: number[] = [];
  a.forEach((id, i) => {
    if (countA.get(id) === 1 && countB.get(id) === 1) {
      fromA.push(i);
      toB.push(positionB.get(id)!);
    }
  });
  return { anchors: longestIncreasing(toB).map((k) => [fromA[k]!, toB[k]!]), uniqueCommon: fromA.length };
}

/**
 * Longest common subsequence of two id sequences as runs of matching indices,
 * or null when it cannot finish by `deadline`. Items absent from the other
 * side can never match, so they are dropped before the Myers diff (as
 * MediaWiki's DiffEngine does): a wholesale rewrite then costs O(n). When a
 * lower bound on the edit distance shows Myers cannot finish in time, it
 * gives up at once instead of burning the budget.
 */
function align(a: number[], b: number[], deadline: number): Run[] | null {
  const inA = new Set(a);
  const inB = new Set(b);
  const keptA: number[] = [];
  const indexA: number[] = [];
  a.forEach((id, i) => {
    if (!inB.has(id)) return;
    keptA.push(id);
    indexA.push(i);
  });
  const keptB: number[] = [];
  const indexB: number[] = [];
  b.forEach((id, i) => {
    if (!inA.has(id)) return;
    keptB.push(id);
    indexB.push(i);
  });

  const runs: Run[] = [];
  if (keptA.length === 0 || keptB.length === 0) return runs;
  let remaining = deadline - performance.now();
  if (remaining <= 0) return null;
  if (keptA.length + keptB.length > MYERS_EASY_ITEMS) {
    // A common subsequence holds at most the increasing unique anchors plus the repeated items.
    const { anchors, uniqueCommon } = uniqueAnchors(keptA, keptB);
    const longest = anchors.length + Math.min(keptA.length, keptB.length) - uniqueCommon;
    const minEdits = keptA.length + keptB.length - 2 * longest;
    remaining = deadline - performance.now();
    if (minEdits * minEdits * MYERS_MS_PER_EDIT_SQUARED > remaining) return null;
  }
  const changes = diffArrays(keptA, keptB, { timeout: Math.max(1, Math.floor(remaining)) });
  if (!changes) return null;

  let x = 0;
  let y = 0;
  for (const change of changes) {
    if (change.added) {
      y += change.count;
      continue;
    }
    if (change.removed) {
      x += change.count;
      continue;
    }
    for (let k = 0; k < change.count; k++) addMatch(runs, indexA[x + k]!, indexB[y + k]!, 1);
    x += change.count;
    y += change.count;
  }
  return runs;
}

/**
 * Cheap alignment for the coarse view: unique items matched in order
 * (patience diff), extended over equal neighbours, with small gaps between
 * anchors diffed exactly.
 */
function anchoredAlign(a: number[], b: number[], deadline: number): Run[] {
  const runs: Run[] = [];
  let i = 0;
  let j = 0;
  const { anchors } = uniqueAnchors(a, b);
  anchors.push([a.length, b.length]);
  for (const [anchorA, anchorB] of anchors) {
    let s = i;
    let t = j;
    while (s < anchorA && t < anchorB && a[s] === b[t]) {
      s++;
      t++;
    }
    addMatch(runs, i, j, s - i);
    let e = anchorA;
    let f = anchorB;
    while (e > s && f > t && a[e - 1] === b[f - 1]) {
      e--;
      f--;
    }
    if (e > s && f > t && e - s + (f - t) <= SMALL_GAP_ITEMS && performance.now() < deadline) {
      for (const run of align(a.slice(s, e), b.slice(t, f), deadline) ?? []) {
        addMatch(runs, run.oldIndex + s, run.newIndex + t, run.length);
      }
    }
    addMatch(runs, e, f, anchorA - e);
    if (anchorA < a.length) addMatch(runs, anchorA, anchorB, 1);
    i = anchorA + 1;
    j = anchorB + 1;
  }
  return runs;
}

function alignLines(
  oldLines: string[],
  newLines: string[],
  from: number,
  oldEnd: number,
  newEnd: number,
  deadline: number,
): Run[] | null {
  const interner = new Interner();
  const a: number[] = [];
  for (let i = from; i < oldEnd; i++) a.push(interner.id(oldLines[i]!));
  const b: number[] = [];
  for (let i = from; i < newEnd; i++) b.push(interner.id(newLines[i]!));
  const runs = align(a, b, deadline);
  return runs && runs.map((run) => ({ oldIndex: run.oldIndex + from, newIndex: run.newIndex + from, length: run.length }));
}

/** Units are maximal runs of non-blank lines (paragraphs) or of blank lines. */
function paragraphUnits(lines: string[], from: number, to: number, interner: Interner) {
  const ids: number[] = [];
  const starts: number[] = [];
  let i = from;
  while (i < to) {
    const blank = isBlank(lines[i]!);
    let j = i + 1;
    while (j < to && isBlank(lines[j]!) === blank) j++;
    starts.push(i);
    ids.push(interner.id(lines.slice(i, j).join("\n")));
    i = j;
  }
  starts.push(to);
  return { ids, starts };
}

function alignParagraphs(
  oldLines: string[],
  newLines: string[],
  from: number,
  oldEnd: number,
  newEnd: number,
  deadline: number,
): Run[] | null {
  const interner = new Interner();
  const a = paragraphUnits(oldLines, from, oldEnd, interner);
  const b = paragraphUnits(newLines, from, newEnd, interner);
  if (performance.now() >= deadline) return null;
  const runs: Run[] = [];
  for (const run of anchoredAlign(a.ids, b.ids, deadline)) {
    const oldIndex = a.starts[run.oldIndex]!;
    addMatch(runs, oldIndex, b.starts[run.newIndex]!, a.starts[run.oldIndex + run.length]! - oldIndex);
  }
  return performance.now() >= deadline ? null : runs;
}

function blocksBetween(runs: Run[], oldFrom: number, oldTo: number, newFrom: number, newTo: number): Block[] {
  const blocks: Block[] = [];
  let o = oldFrom;
  let n = newFrom;
  for (const run of [...runs, { oldIndex: oldTo, newIndex: newTo, length: 0 }]) {
    if (run.oldIndex > o || run.newIndex > n) {
      blocks.push({ oldStart: o, oldEnd: run.oldIndex, newStart: n, newEnd: run.newIndex });
    }
    o = run.oldIndex + run.length;
    n = run.newIndex + run.length;
  }
  return blocks;
}

// -------------------------------------------------------------------- moves

function moveKey(line: string): string {
  const trimmed = line.trim();
  return /\s{2,}|[^\S ]/.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}

/**
 * Mark runs of removed lines that reappear (ignoring surrounding and repeated
 * whitespace) as added lines in a different change block (or in any block,
 * with `sameBlock`). Runs start and end on non-blank lines and need
 * MIN_MOVE_CHARS characters; ids are 1-based in old-text order.
 */
function detectMoves(
  blocks: Block[],
  oldLines: string[],
  newLines: string[],
  moves: Moves,
  sameBlock: boolean,
  deadline: number,
): void {
  const oldBlock = new Int32Array(oldLines.length).fill(-1);
  const newBlock = new Int32Array(newLines.length).fill(-1);
  const candidates = new Map<string, number[]>();
  const oldKeys: (string | undefined)[] = [];
  const newKeys: (string | undefined)[] = [];
  const oldKey = (i: number) => (oldKeys[i] ??= moveKey(oldLines[i]!));
  const newKey = (i: number) => (newKeys[i] ??= moveKey(newLines[i]!));

  blocks.forEach((block, k) => {
    oldBlock.fill(k, block.oldStart, block.oldEnd);
    newBlock.fill(k, block.newStart, block.newEnd);
    for (let q = block.newStart; q < block.newEnd; q++) {
      const key = newKey(q);
      if (key === "") continue;
      const list = candidates.get(key);
      if (!list) candidates.set(key, [q]);
      else if (list.length < MOVE_CANDIDATES) list.push(q);
    }
  });
  if (candidates.size === 0) return;

  let id = 0;
  let work = 0;
  for (const block of blocks) {
    for (let p = block.oldStart; p < block.oldEnd; p++) {
      if ((++work & 255) === 0 && performance.now() > deadline) return;
      if (moves.old[p]) continue;
      const list = candidates.get(oldKey(p));
      if (!list) continue;
      let bestStart = -1;
      let bestLength = 0;
      let bestChars = 0;
      for (const q of list) {
        if (moves.new[q] || (!sameBlock && newBlock[q] === oldBlock[p])) continue;
        let length = 0;
        let chars = 0;
        let usefulLength = 0;
        let usefulChars = 0;
        while (
          p + length < oldLines.length &&
          q + length < newLines.length &&
          oldBlock[p + length] === oldBlock[p] &&
          newBlock[q + length] === newBlock[q] &&
          !moves.old[p + length] &&
          !moves.new[q + length]
        ) {
          const key = oldKey(p + length);
          if (key !== newKey(q + length)) break;
          length++;
          chars += key.length;
          if (key !== "") {
            usefulLength = length;
            usefulChars = chars;
          }
        }
        if (usefulChars > bestChars) {
          bestStart = q;
          bestLength = usefulLength;
          bestChars = usefulChars;
        }
      }
      if (bestChars < MIN_MOVE_CHARS) continue;
      id++;
      moves.old.fill(id, p, p + bestLength);
      moves.new.fill(id, bestStart, bestStart + bestLength);
      p += bestLength - 1;
    }
  }
}

// ------------------------------------------------------------------ pairing

/** Words (CJK: single characters), whitespace runs, and single other characters. */
const TOKEN =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]|(?:(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])[\p{L}\p{M}\p{N}_])+|\s+|./gsu;

function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

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
function pairLines(
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

// --------------------------------------------------------------------- rows

/** Whether a UTF-16 code unit is whitespace as `\s` defines it. */
function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function sameIgnoringWhitespace(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && isSpace(a.charCodeAt(i))) i++;
    while (j < b.length && isSpace(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a.charCodeAt(i++) !== b.charCodeAt(j++)) return false;
  }
}

/** Word-level parts of a changed pair, or null when the diff does not finish in time. */
function wordParts(a: string, b: string, deadline: number): { oldParts: WordPart[]; newParts: WordPart[] } | null {
  const remaining = deadline - performance.now();
  if (remaining <= 0) return null;
  const changes = diffArrays(tokenize(a), tokenize(b), { timeout: Math.max(1, Math.floor(remaining)) });
  if (!changes) return null;

  // Whitespace kept between two changes would split one edit into fragments.
  const edits: ChangeObject<string[]>[] = [];
  changes.forEach((change, i) => {
    const before = changes[i - 1];
    const after = changes[i + 1];
    const common = !change.added && !change.removed;
    if (common && before && after && (before.added || before.removed) && (after.added || after.removed) && isBlank(change.value.join(""))) {
      edits.push({ ...change, removed: true }, { ...change, added: true });
    } else {
      edits.push(change);
    }
  });

  const oldParts: WordPart[] = [];
  const newParts: WordPart[] = [];
  const push = (parts: WordPart[], type: WordPart["type"], text: string) => {
    const last = parts[parts.length - 1];
    if (last?.type === type) last.text += text;
    else parts.push({ type, text });
  };
  for (const edit of edits) {
    const text = edit.value.join("");
    if (edit.added) push(newParts, "added", text);
    else if (edit.removed) push(oldParts, "removed", text);
    else {
      push(oldParts, "same", text);
      push(newParts, "same", text);
    }
  }
  return { oldParts, newParts };
}

function rowsForBlock(
  block: Block,
  pairs: Array<[number, number]>,
  lines: Lines,
  moves: Moves,
  maxLineLength: number,
  deadline: number,
): DiffRow[] {
  const { old: oldLines, new: newLines, offset } = lines;
  const rows: DiffRow[] = [];
  let p = block.oldStart;
  let q = block.newStart;
  const flush = (oldUntil: number, newUntil: number) => {
    for (; p < oldUntil; p++) {
      const moveId = moves.old[p];
      rows.push({ kind: "removed", oldLine: offset + p + 1, text: oldLines[p]!, ...(moveId ? { moveId } : {}) });
    }
    for (; q < newUntil; q++) {
      const moveId = moves.new[q];
      rows.push({ kind: "added", newLine: offset + q + 1, text: newLines[q]!, ...(moveId ? { moveId } : {}) });
    }
  };
  for (const [pairOld, pairNew] of pairs) {
    flush(pairOld, pairNew);
    const oldText = oldLines[pairOld]!;
    const newText = newLines[pairNew]!;
    const parts =
      oldText.length <= maxLineLength && newText.length <= maxLineLength ? wordParts(oldText, newText, deadline) : null;
    rows.push({
      kind: "changed",
      oldLine: offset + pairOld + 1,
      newLine: offset + pairNew + 1,
      oldText,
      newText,
      oldParts: parts?.oldParts ?? null,
      newParts: parts?.newParts ?? null,
      whitespaceOnly: sameIgnoringWhitespace(oldText, newText),
    });
    p = pairOld + 1;
    q = pairNew + 1;
  }
  flush(block.oldEnd, block.newEnd);
  return rows;
}

/**
 * Old-side text for context rows. Indices are relative to the differing
 * lines: negative ones reach into the shared prefix, ones past the differing
 * lines into the shared suffix; `total` is the old side's line count.
 */
type ContextSource = { offset: number; total: number; textAt: (line: number) => string };

function buildHunks(blocks: Block[], blockRows: DiffRow[][], source: ContextSource, context: number): DiffHunk[] {
  const { offset, textAt } = source;
  const hunks: DiffHunk[] = [];
  let hunk: DiffHunk | null = null;
  // Positions relative to the differing lines; new-side positions differ by a block's net growth.
  let oldAt = -offset;
  let newAt = -offset;
  const contextRows = (rows: DiffRow[], count: number) => {
    for (let k = 0; k < count; k++, oldAt++, newAt++) {
      rows.push({ kind: "context", oldLine: offset + oldAt + 1, newLine: offset + newAt + 1, text: textAt(oldAt) });
    }
  };
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const gap = block.oldStart - oldAt;
    if (hunk && gap <= 2 * context) {
      contextRows(hunk.rows, gap);
    } else {
      if (hunk) {
        contextRows(hunk.rows, Math.min(context, gap));
        hunks.push(hunk);
      }
      const lead = Math.min(context, gap);
      oldAt = block.oldStart - lead;
      newAt = block.newStart - lead;
      hunk = { oldStart: offset + oldAt + 1, newStart: offset + newAt + 1, rows: [] };
      contextRows(hunk.rows, lead);
    }
    for (const row of blockRows[i]!) hunk.rows.push(row);
    oldAt = block.oldEnd;
    newAt = block.newEnd;
  }
  if (hunk) {
    contextRows(hunk.rows, Math.min(context, source.total - offset - oldAt));
    hunks.push(hunk);
  }
  return hunks;
}

// ------------------------------------------------------------- front matter

type FrontMatter = { language: string; yaml: string } | null;

/** The fenced block at the top of the page, split as in front-matter.ts. */
function frontMatterOf(text: string): FrontMatter {
  const open = /^---([^\n]*)\n/.exec(text);
  if (!open) return null;
  const rest = text.slice(open[0].length);
  const close = /^(---|\.\.\.)[ \t]*$/m.exec(rest);
  return close ? { language: open[1]!.trim().toLowerCase(), yaml: rest.slice(0, close.index) } : null;
}

/** Parsed fields; `{}` without front matter; null when it is not a YAML mapping. */
function parseFields(matter: FrontMatter): Record<string, unknown> | null {
  if (!matter) return {};
  if ((matter.language !== "" && matter.language !== "yaml") || matter.yaml.length > MAX_FRONT_MATTER_CHARS) return null;
  let data: unknown;
  try {
    data = parseYaml(matter.yaml, { schema: "core", logLevel: "error", maxAliasCount: 0, uniqueKeys: true, prettyErrors: false });
  } catch {
    return null;
  }
  if (data === null || data === undefined) return {};
  return typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}

function frontMatterChanges(a: string, b: string): FieldChange[] {
  const oldMatter = frontMatterOf(a);
  const newMatter = frontMatterOf(b);
  if (oldMatter?.language === newMatter?.language && oldMatter?.yaml === newMatter?.yaml) return [];
  const before = parseFields(oldMatter);
  const after = parseFields(newMatter);
  return before && after ? diffFields(before, after) : [];
}

function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || depth > 64) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i], depth + 1));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && deepEqual(x[key], y[key], depth + 1));
}
