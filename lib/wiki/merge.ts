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
 * - Size guard: when none of those shortcuts apply and the three inputs
 *   together exceed {@link MAX_MERGE_BYTES} (3 MiB of UTF-8), no line diff is
 *   attempted. The result is a refusal shaped as a conflict: one region holding
 *   the whole of every version, starting at line 1 of `marked`. Callers then
 *   fall back to their manual-resolution path, so nothing is lost or guessed.
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
 * Inputs whose combined size exceeds {@link MAX_MERGE_BYTES} (and that are not
 * settled by the unchanged-side shortcuts) are refused as a single conflict
 * region covering every version in full.
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

  if (exceedsLimit([o, b, a], MAX_MERGE_BYTES)) {
    const out: string[] = [];
    const conflicts: ConflictRegion[] = [];
    pushConflict(out, conflicts, { baseLines: oSplit.lines, theirLines: bSplit.lines, myLines: aSplit.lines });
    return { clean: false, conflicts, marked: joinLines(out, finalNewline) };
  }

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

  const regions = diff3Merge<string>(
    aLines.slice(prefix, aLines.length - suffix),
    oLines.slice(prefix, oLines.length - suffix),
    bLines.slice(prefix, bLines.length - suffix),
    { excludeFalseConflicts: true },
  );

  const out: string[] = oLines.slice(0, prefix);
  const conflicts: ConflictRegion[] = [];
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      const { a: myLines, o: baseLines, b: theirLines } = region.conflict;
      pushConflict(out, conflicts, { baseLines, theirLines, myLines });
    }
  }
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
