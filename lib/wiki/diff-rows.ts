/** The rows and hunks the diff page shows: a change block's rows, and hunks with their context. */
import type { Block, DiffHunk, DiffRow, Lines, Moves, Span } from "./diff-model";
import { PAIR_THRESHOLD, similarityOf } from "./diff-pairing";
import { sameIgnoringWhitespace, sameWords, wordParts } from "./diff-words";

/** The rows of one change block: its changed spans (from pairing), and the removed and added lines between them. */
export function rowsForBlock(block: Block, spans: Span[], lines: Lines, moves: Moves, deadline: number, sentenceFirstChars: number): DiffRow[] {
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
  for (const span of spans) {
    const oldText = oldLines.slice(span.oldStart, span.oldEnd).join("\n");
    const newText = newLines.slice(span.newStart, span.newEnd).join("\n");
    let parts = wordParts(oldText, newText, deadline, sentenceFirstChars, span.unchecked);
    if (parts === "large") {
      // A large edit of a pair nobody scored yet: the cheap likeness first, the full word diff only when alike.
      if (similarityOf(oldText, newText) < PAIR_THRESHOLD) continue; // flushed as removed and added
      parts = wordParts(oldText, newText, deadline, sentenceFirstChars);
    }
    if (parts === "large") parts = null;
    if (span.unchecked && parts && parts.likeness < PAIR_THRESHOLD) continue; // too unlike: flushed as removed and added
    flush(span.oldStart, span.newStart);
    rows.push({
      kind: "changed",
      oldLine: offset + span.oldStart + 1,
      newLine: offset + span.newStart + 1,
      oldCount: span.oldEnd - span.oldStart,
      newCount: span.newEnd - span.newStart,
      oldText,
      newText,
      oldParts: parts?.oldParts ?? null,
      newParts: parts?.newParts ?? null,
      whitespaceOnly: sameIgnoringWhitespace(oldText, newText),
    });
    p = span.oldEnd;
    q = span.newEnd;
  }
  flush(block.oldEnd, block.newEnd);
  return rows;
}

/** Whether a changed row is a re-wrap: a paragraph whose words are the same and whose line breaks moved. */
export function isRewrap(row: DiffRow): boolean {
  if (row.kind !== "changed" || (row.oldCount === 1 && row.newCount === 1) || !row.whitespaceOnly) return false;
  return row.oldParts ? row.oldParts.every((part) => part.type === "same") : sameWords(row.oldText, row.newText);
}

/**
 * Old-side text for context rows. Indices are relative to the differing
 * lines: negative ones reach into the shared prefix, ones past the differing
 * lines into the shared suffix; `total` is the old side's line count.
 */
export type ContextSource = { offset: number; total: number; textAt: (line: number) => string };

export function buildHunks(blocks: Block[], blockRows: DiffRow[][], source: ContextSource, context: number): DiffHunk[] {
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
