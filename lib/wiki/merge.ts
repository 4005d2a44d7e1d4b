/**
 * Three-way merge of page texts, used for "no lost edits" (an edit saved on top
 * of a revision that is no longer the latest) and for "undo" of an older edit.
 *
 * Pure: no I/O, no server-only imports. Line-based, built on node-diff3's
 * `diff3Merge` (Khanna–Kunal–Pierce diff3 over a Hunt–McIlroy LCS).
 *
 * Behaviour worth knowing:
 * - Input is LF-normalised (`\r\n` and lone `\r` become `\n`); output is LF.
 * - Changes on different lines merge cleanly; identical changes made on both
 *   sides are not conflicts; overlapping different changes are conflicts.
 * - Changes to *adjacent* lines (one side edits line n, the other line n + 1,
 *   with no unchanged line between them) are reported as a conflict, as git
 *   and GNU diff3 do: node-diff3 treats hunks that touch as overlapping.
 * - Whether the text ends with a newline is merged like a one-bit line: the
 *   result ends with a newline exactly when `mine` does, unless `mine` kept the
 *   base's ending and `theirs` changed it, in which case `theirs` wins (so an
 *   edit to the final newline on either side is never lost).
 * - If `mine` equals `base` the result is `theirs`; if `theirs` equals `base`
 *   (or equals `mine`) the result is `mine` (after LF normalisation).
 * - Size guards: when none of those shortcuts apply and either
 *   (a) the three inputs together exceed {@link MAX_MERGE_BYTES} (3 MiB of
 *   UTF-8), or
 *   (b) the estimated LCS work exceeds {@link MAX_MERGE_WORK},
 *   no merge is attempted. The result is a refusal shaped as a conflict: one
 *   region holding the whole of every version, starting at line 1 of `marked`.
 *   Callers then fall back to their manual-resolution path, so nothing is lost
 *   or guessed.
 *
 *   Why (b): node-diff3's LCS scans its candidate list linearly, so its cost
 *   grows with (matching line pairs) × (LCS length) — quadratic in page length
 *   even for distinct lines, and close to cubic when lines repeat (the blank
 *   lines between MDX paragraphs). Measured: ~3,000 lines with one blank in
 *   three and edits at both ends took ~2.8 s; 15,000 lines (~2 MiB total, under
 *   the byte cap) ran for minutes. To keep large pages mergeable:
 *   1. lines common to all three versions at the start and end are trimmed
 *      first (they are stable whatever the alignment);
 *   2. only if the rest is still over budget, it is split at anchor lines —
 *      lines occurring exactly once in each version, along a chain in the
 *      same order in all three (patience-diff style) — and each piece is
 *      merged with `diff3Merge` on its own. Below the budget the whole middle
 *      goes to a single `diff3Merge` call, unchanged.
 *   Refusal is left for edits spread across a large page with few unique
 *   lines (e.g. thousands of identical lines).
 */
import { diff3Merge } from "node-diff3";

/** One conflicting stretch, with what each side had there. */
export type ConflictRegion = {
  /** The lines of the common ancestor in this region. */
  baseLines: string[];
  /** The lines of the other (already saved) version in this region. */
  theirLines: string[];
  /** The lines of the version being saved in this region. */
  myLines: string[];
  /** 1-based line in the conflict-marked text where this region starts (the `<<<<<<< yours` line). */
  startLine: number;
};

/**
 * Outcome of a three-way merge: either the merged text, or the conflicting
 * regions plus a git-style conflict-marked text for display.
 */
export type MergeResult =
  | { clean: true; text: string }
  | {
      clean: false;
      conflicts: ConflictRegion[];
      /** Text with git-style markers `<<<<<<< yours` / `||||||| base` / `=======` / `>>>>>>> theirs` for display. */
      marked: string;
    };

/** Combined UTF-8 size of base + theirs + mine above which no line merge is attempted (3 MiB). */
export const MAX_MERGE_BYTES = 3 * 1024 * 1024;

/**
 * Budget for the estimated LCS work, Σ over both diffs of (matching line pairs)
 * × (shorter length + 1), measured after trimming the common prefix and suffix
 * (and, when the whole is over budget, summed over the anchor-separated pieces).
 * Calibrated at roughly 0.5 ms per 10^6 units, so the cap is ~0.1–0.2 s of work.
 */
export const MAX_MERGE_WORK = 250_000_000;

/** The conflict marker lines used in `marked`, in order. */
export const CONFLICT_MARKERS = {
  mine: "<<<<<<< yours",
  base: "||||||| base",
  separator: "=======",
  theirs: ">>>>>>> theirs",
} as const;

type SplitText = { lines: string[]; finalNewline: boolean };

function normaliseNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** Split LF-normalised text into lines, remembering whether it ended with a newline. */
function splitLines(text: string): SplitText {
  if (text === "") return { lines: [], finalNewline: false };
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, -1) : text;
  return { lines: body.split("\n"), finalNewline };
}

function joinLines(lines: readonly string[], finalNewline: boolean): string {
  if (lines.length === 0) return "";
  return lines.join("\n") + (finalNewline ? "\n" : "");
}

/** UTF-8 byte length without allocating an encoded copy. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function exceedsLimit(texts: readonly string[], limit: number): boolean {
  const units = texts.reduce((sum, text) => sum + text.length, 0);
  // Each UTF-16 code unit is 1 to 3 UTF-8 bytes, so most inputs are decided without counting.
  if (units > limit) return true;
  if (units * 3 <= limit) return false;
  return texts.reduce((sum, text) => sum + utf8Length(text), 0) > limit;
}

/** Upper-bound estimate of node-diff3's LCS cost for diffing `base` against `other`. */
function lcsWork(baseCounts: ReadonlyMap<string, number>, baseLength: number, other: readonly string[]): number {
  let pairs = 0;
  for (const line of other) pairs += baseCounts.get(line) ?? 0;
  return pairs * (Math.min(baseLength, other.length) + 1);
}

type Segment = { a: string[]; o: string[]; b: string[] };

function segmentsWork(segments: readonly Segment[]): number {
  let work = 0;
  for (const { a, o, b } of segments) {
    const oCounts = new Map<string, number>();
    for (const line of o) oCounts.set(line, (oCounts.get(line) ?? 0) + 1);
    work += lcsWork(oCounts, o.length, a) + lcsWork(oCounts, o.length, b);
  }
  return work;
}

/** Indices (ascending) of one longest strictly increasing subsequence of `keys`. O(n log n). */
function longestIncreasing(keys: readonly number[]): number[] {
  const tails: number[] = [];
  const back = new Int32Array(keys.length).fill(-1);
  keys.forEach((key, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[tails[mid] ?? 0] ?? 0) < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) back[i] = tails[lo - 1] ?? -1;
    tails[lo] = i;
  });
  const result: number[] = [];
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = back[i] ?? -1) result.push(i);
  return result.reverse();
}

/** line → its index if it occurs exactly once in `lines`, -1 if more often. */
function onceIndex(lines: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  lines.forEach((line, i) => index.set(line, index.has(line) ? -1 : i));
  return index;
}

/**
 * Split a merge into independent pieces at anchor lines: lines that occur
 * exactly once in each of `a`, `o` and `b`, chosen along a chain whose
 * positions increase in all three (patience-diff style). An anchor is
 * unchanged on both sides, so no hunk can span it and the pieces can be merged
 * separately; adjacency is preserved (edits on both sides of an anchor line are
 * separated by that unchanged line, which diff3 also merges cleanly).
 * Returns k + 1 segments around k anchors.
 */
function splitAtAnchors(a: string[], o: string[], b: string[]): { segments: Segment[]; anchors: string[] } {
  const aOnce = onceIndex(a);
  const bOnce = onceIndex(b);
  const oOnce = onceIndex(o);
  const candidates: [ai: number, oi: number, bi: number][] = [];
  o.forEach((line, oi) => {
    if (oOnce.get(line) !== oi) return;
    const ai = aOnce.get(line) ?? -1;
    const bi = bOnce.get(line) ?? -1;
    if (ai >= 0 && bi >= 0) candidates.push([ai, oi, bi]);
  });
  // Increasing in o by construction; keep a run increasing in a, then within it in b.
  const inA = longestIncreasing(candidates.map(([ai]) => ai)).map((i) => candidates[i]!);
  const chain = longestIncreasing(inA.map(([, , bi]) => bi)).map((i) => inA[i]!);

  const segments: Segment[] = [];
  const anchors: string[] = [];
  let [pa, po, pb] = [0, 0, 0];
  for (const [ai, oi, bi] of chain) {
    segments.push({ a: a.slice(pa, ai), o: o.slice(po, oi), b: b.slice(pb, bi) });
    anchors.push(o[oi]!);
    [pa, po, pb] = [ai + 1, oi + 1, bi + 1];
  }
  segments.push({ a: a.slice(pa), o: o.slice(po), b: b.slice(pb) });
  return { segments, anchors };
}

function pushConflict(out: string[], conflicts: ConflictRegion[], region: Omit<ConflictRegion, "startLine">): void {
  conflicts.push({ ...region, startLine: out.length + 1 });
  out.push(CONFLICT_MARKERS.mine, ...region.myLines, CONFLICT_MARKERS.base, ...region.baseLines);
  out.push(CONFLICT_MARKERS.separator, ...region.theirLines, CONFLICT_MARKERS.theirs);
}

/**
 * Merge `mine` and `theirs`, both edited from `base`. Line-based (node-diff3
 * `diff3Merge`), LF-normalised, trailing newline preserved as in `mine` unless
 * only `theirs` changed it (see the module comment).
 *
 * Inputs that are not settled by the unchanged-side shortcuts and whose combined
 * size exceeds {@link MAX_MERGE_BYTES}, or whose estimated diff work exceeds
 * {@link MAX_MERGE_WORK}, are refused as a single conflict region covering
 * every version in full (`startLine` 1).
 *
 * @param base The common ancestor both sides were edited from.
 * @param theirs The version already saved by someone else (or the current text).
 * @param mine The version being saved.
 * @returns `{ clean: true, text }` or `{ clean: false, conflicts, marked }`.
 */
export function threeWayMerge(base: string, theirs: string, mine: string): MergeResult {
  const o = normaliseNewlines(base);
  const b = normaliseNewlines(theirs);
  const a = normaliseNewlines(mine);

  if (a === o) return { clean: true, text: b };
  if (b === o || b === a) return { clean: true, text: a };

  const oSplit = splitLines(o);
  const bSplit = splitLines(b);
  const aSplit = splitLines(a);
  const finalNewline = aSplit.finalNewline === oSplit.finalNewline ? bSplit.finalNewline : aSplit.finalNewline;

  const refuse = (): MergeResult => {
    const out: string[] = [];
    const conflicts: ConflictRegion[] = [];
    pushConflict(out, conflicts, { baseLines: oSplit.lines, theirLines: bSplit.lines, myLines: aSplit.lines });
    return { clean: false, conflicts, marked: joinLines(out, finalNewline) };
  };
  if (exceedsLimit([o, b, a], MAX_MERGE_BYTES)) return refuse();

  const aLines = aSplit.lines;
  const oLines = oSplit.lines;
  const bLines = bSplit.lines;

  // Lines shared by all three at the start and end are stable whatever the
  // alignment; trimming them keeps the LCS work proportional to the edits.
  const shortest = Math.min(aLines.length, oLines.length, bLines.length);
  let prefix = 0;
  while (prefix < shortest && aLines[prefix] === oLines[prefix] && bLines[prefix] === oLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < shortest - prefix &&
    aLines[aLines.length - 1 - suffix] === oLines[oLines.length - 1 - suffix] &&
    bLines[bLines.length - 1 - suffix] === oLines[oLines.length - 1 - suffix]
  ) {
    suffix++;
  }

  const aMiddle = aLines.slice(prefix, aLines.length - suffix);
  const oMiddle = oLines.slice(prefix, oLines.length - suffix);
  const bMiddle = bLines.slice(prefix, bLines.length - suffix);

  const segments: Segment[] = [{ a: aMiddle, o: oMiddle, b: bMiddle }];
  const anchors: string[] = [];
  if (segmentsWork(segments) > MAX_MERGE_WORK) {
    // Too costly in one piece: split at lines unique and unchanged in all three.
    const split = splitAtAnchors(aMiddle, oMiddle, bMiddle);
    if (segmentsWork(split.segments) > MAX_MERGE_WORK) return refuse();
    segments.splice(0, 1, ...split.segments);
    anchors.push(...split.anchors);
  }

  const out: string[] = oLines.slice(0, prefix);
  const conflicts: ConflictRegion[] = [];
  segments.forEach((segment, k) => {
    if (segment.a.length > 0 || segment.o.length > 0 || segment.b.length > 0) {
      for (const region of diff3Merge<string>(segment.a, segment.o, segment.b, { excludeFalseConflicts: true })) {
        if (region.ok) out.push(...region.ok);
        else if (region.conflict) {
          const { a: myLines, o: baseLines, b: theirLines } = region.conflict;
          pushConflict(out, conflicts, { baseLines, theirLines, myLines });
        }
      }
    }
    const anchor = anchors[k];
    if (anchor !== undefined) out.push(anchor);
  });
  out.push(...oLines.slice(oLines.length - suffix));

  if (conflicts.length === 0) return { clean: true, text: joinLines(out, finalNewline) };
  return { clean: false, conflicts, marked: joinLines(out, finalNewline) };
}

/**
 * Undo an older edit: apply the reverse of (parent → target) onto `current`,
 * i.e. `threeWayMerge(base = target, theirs = current, mine = parent)`.
 *
 * Later edits elsewhere in the page are kept; if a later edit touched the same
 * (or adjacent) lines as the edit being undone, the result is a conflict whose
 * "yours" side is the parent's text and whose "theirs" side is the current text.
 *
 * @param parentText Content of the revision before the edit being undone.
 * @param targetText Content of the revision that made the edit being undone.
 * @param currentText Content of the latest revision.
 * @returns The merge result (see {@link threeWayMerge}).
 */
export function undoEdit(parentText: string, targetText: string, currentText: string): MergeResult {
  return threeWayMerge(targetText, currentText, parentText);
}
