/**
 * The line diff: a longest common subsequence of lines (Myers, bounded by a
 * deadline), and the cheaper paragraph-level alignment used when it gives up.
 */
import { diffArrays } from "diff";
import type { Block, Run } from "./diff-model";
import { isBlank } from "./diff-text";

/** Myers costs about 50-70 ns × (edit distance)² here; below this many items it is never worth estimating. */
const MYERS_MS_PER_EDIT_SQUARED = 30e-6;
const MYERS_EASY_ITEMS = 2000;
/** Gaps between paragraph anchors up to this many units get an exact diff. */
const SMALL_GAP_ITEMS = 200;

export class Interner {
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
export function longestIncreasing(values: number[]): number[] {
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

/** Longest common subsequence of two id sequences as runs, or null past `deadline` (see `align`). */
export function alignIds(a: number[], b: number[], deadline: number): Run[] | null {
  return align(a, b, deadline);
}

/**
 * Matching lines of old [from, oldEnd) and new [from, newEnd), or null past
 * `deadline`. `fixed` spans (re-wrapped paragraphs, in order) are left
 * unmatched, and lines are matched only within the gaps between them.
 */
export function alignLines(
  oldLines: string[],
  newLines: string[],
  from: number,
  oldEnd: number,
  newEnd: number,
  deadline: number,
  fixed: Block[] = [],
): Run[] | null {
  const interner = new Interner();
  const runs: Run[] = [];
  let oldAt = from;
  let newAt = from;
  for (const gap of [...fixed, { oldStart: oldEnd, oldEnd, newStart: newEnd, newEnd }]) {
    const a: number[] = [];
    for (let i = oldAt; i < gap.oldStart; i++) a.push(interner.id(oldLines[i]!));
    const b: number[] = [];
    for (let i = newAt; i < gap.newStart; i++) b.push(interner.id(newLines[i]!));
    const found = align(a, b, deadline);
    if (!found) return null;
    for (const run of found) runs.push({ oldIndex: run.oldIndex + oldAt, newIndex: run.newIndex + newAt, length: run.length });
    oldAt = gap.oldEnd;
    newAt = gap.newEnd;
  }
  return runs;
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

export function alignParagraphs(
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

export function blocksBetween(runs: Run[], oldFrom: number, oldTo: number, newFrom: number, newTo: number): Block[] {
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
