/**
 * Revision diff engine (pure; no I/O). Modelled on MediaWiki's: a line diff,
 * removed/added lines paired into "changed" rows when similar (whole
 * paragraphs when their line breaks moved: a re-wrap marks no word), word-level
 * highlights inside those pairs only, moved paragraphs, structured
 * front-matter changes — all under a hard time budget, degrading to a
 * paragraph-level view (and finally to "all replaced") when it runs out.
 */
import { alignLines, alignParagraphs, blocksBetween } from "./diff-align";
import {
  COARSE_PARAGRAPHS,
  COARSE_REPLACED,
  DEFAULT_BUDGET_MS,
  DEFAULT_CONTEXT,
  DEFAULT_MAX_LINE_LENGTH,
  DETAIL_STAGE_SHARE,
  LINE_STAGE_SHARE,
  MAX_LINE_ITEMS,
  MAX_PARAGRAPH_ITEMS,
  nonNegative,
  PARAGRAPH_STAGE_SHARE,
} from "./diff-budget";
import { frontMatterChanges } from "./diff-fields";
import type { DiffOptions, Lines, Moves, RevisionDiff } from "./diff-model";
import { detectMoves } from "./diff-moves";
import { pairLines } from "./diff-pairing";
import { rewrappedParagraphs } from "./diff-rewrap";
import { buildHunks, isRewrap, rowsForBlock } from "./diff-rows";
import { countLines, differingSpan, linesAfter, linesBefore, normalise, toLines } from "./diff-text";

export type { DiffHunk, DiffOptions, DiffRow, FieldChange, RevisionDiff, WordPart } from "./diff-model";
export { diffFields } from "./diff-fields";

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
  const stats = { added: 0, removed: 0, changed: 0, moved: 0, rewrapped: 0 };
  if (prefix === oldLines.length && prefix === newLines.length) {
    return { hunks: [], stats, fields: [], identical: true, coarse: null };
  }

  const fields = frontMatterChanges(a, b);
  const oldEnd = oldLines.length - suffix;
  const newEnd = newLines.length - suffix;
  const items = oldEnd - prefix + (newEnd - prefix);

  let coarse: RevisionDiff["coarse"] = null;
  // Re-wrapped paragraphs are paired first; the line diff matches lines around them.
  const rewrapped = items <= MAX_LINE_ITEMS ? rewrappedParagraphs(oldLines, newLines, prefix, oldEnd, prefix, newEnd) : [];
  let runs =
    items <= MAX_LINE_ITEMS
      ? alignLines(oldLines, newLines, prefix, oldEnd, newEnd, start + budget * LINE_STAGE_SHARE, rewrapped)
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
  const fixed = coarse ? [] : rewrapped;
  if (coarse?.reason !== COARSE_REPLACED) detectMoves(blocks, oldLines, newLines, moves, coarse !== null, deadline, fixed);

  const lines: Lines = { old: oldLines, new: newLines, offset };
  const blockRows = blocks.map((block) => {
    const spans = coarse ? [] : pairLines(block, oldLines, newLines, moves, deadline, fixed);
    const rows = rowsForBlock(block, spans, lines, moves, deadline, maxLineLength);
    for (const row of rows) {
      if (row.kind === "changed") stats[isRewrap(row) ? "rewrapped" : "changed"]++;
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
