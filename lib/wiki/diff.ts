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
/** A changed region with its context rows; line numbers are 1-based. */
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
/** Beyond this many lines (both sides, after trimming) go straight to the cheaper stages. */
const MAX_LINE_ITEMS = 400_000;
const MAX_PARAGRAPH_ITEMS = 400_000;
const PAIR_THRESHOLD = 0.4;
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
  const deadline = start + budget;

  const a = normalise(oldText);
  const b = normalise(newText);
  const oldLines = toLines(a);
  const newLines = toLines(b);

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
  if (coarse?.reason !== COARSE_REPLACED) detectMoves(blocks, oldLines, newLines, moves, deadline);

  const blockRows = blocks.map((block) => {
    const pairs = coarse ? [] : pairLines(block, oldLines, newLines, moves, maxLineLength, deadline);
    const rows = rowsForBlock(block, pairs, oldLines, newLines, moves, maxLineLength, deadline);
    for (const row of rows) {
      if (row.kind === "changed") stats.changed++;
      else if (row.kind === "added") stats[row.moveId ? "moved" : "added"]++;
      else if (row.kind === "removed" && !row.moveId) stats.removed++;
    }
    return rows;
  });

  return {
    hunks: buildHunks(blocks, blockRows, oldLines, context),
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

/**
 * Longest common subsequence of two id sequences as runs of matching indices,
 * or null when it cannot finish by `deadline`. Items absent from the other
 * side can never match, so they are dropped before the Myers diff (as
 * MediaWiki's DiffEngine does): a wholesale rewrite then costs O(n).
 */
function align(a: number[], b: number[], idCount: number, deadline: number): Run[] | null {
  const inA = new Uint8Array(idCount);
  const inB = new Uint8Array(idCount);
  for (const id of a) inA[id] = 1;
  for (const id of b) inB[id] = 1;
  const keptA: number[] = [];
  const indexA: number[] = [];
  a.forEach((id, i) => {
    if (!inB[id]) return;
    keptA.push(id);
    indexA.push(i);
  });
  const keptB: number[] = [];
  const indexB: number[] = [];
  b.forEach((id, i) => {
    if (!inA[id]) return;
    keptB.push(id);
    indexB.push(i);
  });

  const runs: Run[] = [];
  if (keptA.length === 0 || keptB.length === 0) return runs;
  const remaining = deadline - performance.now();
  if (remaining <= 0) return null;
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
    for (let k = 0; k < change.count; k++) {
      const oldIndex = indexA[x + k]!;
      const newIndex = indexB[y + k]!;
      const last = runs[runs.length - 1];
      if (last && last.oldIndex + last.length === oldIndex && last.newIndex + last.length === newIndex) last.length++;
      else runs.push({ oldIndex, newIndex, length: 1 });
    }
    x += change.count;
    y += change.count;
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
  const runs = align(a, b, interner.size, deadline);
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
  const unitRuns = align(a.ids, b.ids, interner.size, deadline);
  if (!unitRuns) return null;
  const runs: Run[] = [];
  for (const run of unitRuns) {
    const oldIndex = a.starts[run.oldIndex]!;
    const newIndex = b.starts[run.newIndex]!;
    const length = a.starts[run.oldIndex + run.length]! - oldIndex;
    const last = runs[runs.length - 1];
    if (last && last.oldIndex + last.length === oldIndex && last.newIndex + last.length === newIndex) last.length += length;
    else runs.push({ oldIndex, newIndex, length });
  }
  return runs;
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
 * whitespace) as added lines in a different change block. Runs start and end
 * on non-blank lines and need MIN_MOVE_CHARS characters; ids are 1-based.
 */
function detectMoves(blocks: Block[], oldLines: string[], newLines: string[], moves: Moves, deadline: number): void {
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
        if (moves.new[q] || newBlock[q] === oldBlock[p]) continue;
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

type Bag = { counts: Map<string, number>; size: number };

function bagOf(text: string): Bag {
  const counts = new Map<string, number>();
  let size = 0;
  for (const token of tokenize(text.toLowerCase())) {
    if (isBlank(token)) continue;
    counts.set(token, (counts.get(token) ?? 0) + 1);
    size++;
  }
  return { counts, size };
}

/**
 * Similarity in [0, 1]: the larger of the share covered by the common prefix
 * and suffix, and the Dice coefficient of the two lines' token multisets.
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
  if (edges >= PAIR_THRESHOLD || a.length > maxLineLength || b.length > maxLineLength) return edges;

  const x = bagA();
  const y = bagB();
  if (x.size + y.size === 0) return 1;
  if (2 * Math.min(x.size, y.size) < edges * (x.size + y.size)) return edges;
  const [small, large] = x.counts.size <= y.counts.size ? [x, y] : [y, x];
  let common = 0;
  for (const [token, count] of small.counts) common += Math.min(count, large.counts.get(token) ?? 0);
  return Math.max(edges, (2 * common) / (x.size + y.size));
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

  const oldBags = new Map<number, Bag>();
  const newBags = new Map<number, Bag>();
  const bag = (bags: Map<number, Bag>, lines: string[], i: number) => () => {
    let found = bags.get(i);
    if (!found) bags.set(i, (found = bagOf(lines[i]!)));
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

function stripWhitespace(text: string): string {
  return text.replace(/\s+/g, "");
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
  oldLines: string[],
  newLines: string[],
  moves: Moves,
  maxLineLength: number,
  deadline: number,
): DiffRow[] {
  const rows: DiffRow[] = [];
  let p = block.oldStart;
  let q = block.newStart;
  const flush = (oldUntil: number, newUntil: number) => {
    for (; p < oldUntil; p++) {
      const moveId = moves.old[p];
      rows.push({ kind: "removed", oldLine: p + 1, text: oldLines[p]!, ...(moveId ? { moveId } : {}) });
    }
    for (; q < newUntil; q++) {
      const moveId = moves.new[q];
      rows.push({ kind: "added", newLine: q + 1, text: newLines[q]!, ...(moveId ? { moveId } : {}) });
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
      oldLine: pairOld + 1,
      newLine: pairNew + 1,
      oldText,
      newText,
      oldParts: parts?.oldParts ?? null,
      newParts: parts?.newParts ?? null,
      whitespaceOnly: stripWhitespace(oldText) === stripWhitespace(newText),
    });
    p = pairOld + 1;
    q = pairNew + 1;
  }
  flush(block.oldEnd, block.newEnd);
  return rows;
}

function buildHunks(blocks: Block[], blockRows: DiffRow[][], oldLines: string[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let hunk: DiffHunk | null = null;
  let oldAt = 0;
  let newAt = 0;
  const contextRows = (rows: DiffRow[], count: number) => {
    for (let k = 0; k < count; k++, oldAt++, newAt++) {
      rows.push({ kind: "context", oldLine: oldAt + 1, newLine: newAt + 1, text: oldLines[oldAt]! });
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
      const lead = Math.min(context, block.oldStart - oldAt);
      oldAt = block.oldStart - lead;
      newAt = block.newStart - lead;
      hunk = { oldStart: oldAt + 1, newStart: newAt + 1, rows: [] };
      contextRows(hunk.rows, lead);
    }
    for (const row of blockRows[i]!) hunk.rows.push(row);
    oldAt = block.oldEnd;
    newAt = block.newEnd;
  }
  if (hunk) {
    contextRows(hunk.rows, Math.min(context, oldLines.length - oldAt));
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
