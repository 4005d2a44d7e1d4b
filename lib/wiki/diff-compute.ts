/**
 * The diff as the page and the API show it, computed in one pure step:
 * `computeDiff(oldText, newText, options)` takes two strings and returns plain
 * JSON (no classes, no functions, no typed arrays), so it can run in a worker
 * and be posted back. Everything a view shows is bounded here: characters per
 * row, highlighted segments per row, and rows, characters and segments per
 * page of hunks (see {@link DIFF_LIMITS}).
 */
import { diffRevisions } from "./diff";
import type { DiffOptions, DiffRow, FieldChange, RevisionDiff, WordPart } from "./diff-model";
import { countLines, normalise } from "./diff-text";

/** The bounds of what one view shows. */
export const DIFF_LIMITS = {
  /** Characters shown of one side of a row; the rest is cut with a "line truncated" marker. */
  rowChars: 2_000,
  /** Highlighted segments (word parts) of one side of a row; beyond, the row shows plain text. */
  rowParts: 200,
  /** A page of hunks ends at the first of these: rows, characters shown, highlighted segments. */
  pageRows: 300,
  pageChars: 60_000,
  pageParts: 3_000,
} as const;

export type DiffLimits = { [K in keyof typeof DIFF_LIMITS]: number };

/**
 * A row as shown: its text cut to `rowChars` (`cut` / `oldCut` / `newCut`
 * count the characters left out), word parts cut to match, or dropped
 * (`null`) beyond `rowParts` segments.
 */
export type ViewRow =
  | { kind: "context"; oldLine: number; newLine: number; text: string; cut: number }
  | { kind: "added"; newLine: number; text: string; cut: number; moveId?: number; move?: MoveEnd }
  | { kind: "removed"; oldLine: number; text: string; cut: number; moveId?: number; move?: MoveEnd }
  | {
      /** A changed line, or paragraph (`oldCount` lines became `newCount`; texts joined with "\n"). */
      kind: "changed";
      oldLine: number;
      newLine: number;
      oldCount: number;
      newCount: number;
      oldText: string;
      newText: string;
      oldCut: number;
      newCut: number;
      oldParts: WordPart[] | null;
      newParts: WordPart[] | null;
      whitespaceOnly: boolean;
    };

/**
 * The other end of a move, set on a moved row: where the moved lines start on
 * the other side (a removed row: their new line; an added row: their old
 * line), and the page of the diff that shows that row.
 */
export type MoveEnd = { line: number; page: number };

/** A hunk with its extent on each side (`oldLines` old lines from `oldStart`, as in a unified diff). */
export type ViewHunk = { oldStart: number; newStart: number; oldLines: number; newLines: number; rows: ViewRow[] };
/** Where a page of hunks starts: row `row` of hunk `hunk` (both 0-based). */
export type PageStart = { hunk: number; row: number };

/** The whole diff of two texts, bounded per row and split into pages; plain JSON. */
export type ComputedDiff = {
  hunks: ViewHunk[];
  /** The start of each page; there is always at least one page. */
  pages: PageStart[];
  stats: RevisionDiff["stats"];
  fields: FieldChange[];
  identical: boolean;
  coarse: RevisionDiff["coarse"];
  /** Line count of the old text (for the unchanged lines after the last hunk). */
  oldLineCount: number;
  /** Rows whose text was cut, and rows whose highlights were dropped, in the whole diff. */
  truncatedRows: number;
  unhighlightedRows: number;
};

export type ComputeOptions = DiffOptions & { context?: number; limits?: Partial<DiffLimits> };

/** Cut `text` to `max` characters without splitting a surrogate pair. */
export function cutText(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** The parts covering the first `max` characters of their text; null when there are more than `maxParts`. */
function cutParts(parts: WordPart[] | null, shown: number, maxParts: number): WordPart[] | null {
  if (!parts) return null;
  const result: WordPart[] = [];
  let used = 0;
  for (const part of parts) {
    if (used >= shown) break;
    const text = part.text.length <= shown - used ? part.text : part.text.slice(0, shown - used);
    result.push({ type: part.type, text });
    used += text.length;
    if (result.length > maxParts) return null;
  }
  return result;
}

function viewRow(row: DiffRow, limits: DiffLimits): ViewRow {
  if (row.kind !== "changed") {
    const { text, cut } = cutText(row.text, limits.rowChars);
    return { ...row, text, cut };
  }
  const old = cutText(row.oldText, limits.rowChars);
  const next = cutText(row.newText, limits.rowChars);
  // Each side's parts spell that side's text (same + removed, or same + added).
  const oldParts = cutParts(row.oldParts, old.text.length, limits.rowParts);
  const newParts = cutParts(row.newParts, next.text.length, limits.rowParts);
  return {
    kind: "changed",
    oldLine: row.oldLine,
    newLine: row.newLine,
    oldCount: row.oldCount,
    newCount: row.newCount,
    oldText: old.text,
    newText: next.text,
    oldCut: old.cut,
    newCut: next.cut,
    oldParts: oldParts && newParts ? oldParts : null,
    newParts: oldParts && newParts ? newParts : null,
    whitespaceOnly: row.whitespaceOnly,
  };
}

/** A re-wrapped paragraph is shown collapsed: the note and at most this many characters of its new text. */
export const REWRAP_PREVIEW_CHARS = 160;

/** Whether a row is a re-wrap: a paragraph row whose words are all the same (nothing to mark). */
export function isRewrapRow(row: ViewRow): boolean {
  return row.kind === "changed" && (row.oldCount > 1 || row.newCount > 1) && row.whitespaceOnly && (row.newParts?.every((p) => p.type === "same") ?? false);
}

/** What a row adds to a page: characters shown and highlighted segments. */
export function rowWeight(row: ViewRow): { chars: number; parts: number } {
  if (row.kind !== "changed") return { chars: row.text.length, parts: 0 };
  return { chars: row.oldText.length + row.newText.length, parts: (row.oldParts?.length ?? 0) + (row.newParts?.length ?? 0) };
}

/** Page starts: a page ends before the row that would take it past any of the page limits. */
export function paginate(hunks: ViewHunk[], limits: DiffLimits): PageStart[] {
  const pages: PageStart[] = [{ hunk: 0, row: 0 }];
  let rows = 0;
  let chars = 0;
  let parts = 0;
  hunks.forEach((hunk, h) => {
    hunk.rows.forEach((row, r) => {
      const weight = rowWeight(row);
      if (rows > 0 && (rows + 1 > limits.pageRows || chars + weight.chars > limits.pageChars || parts + weight.parts > limits.pageParts)) {
        pages.push({ hunk: h, row: r });
        rows = chars = parts = 0;
      }
      rows++;
      chars += weight.chars;
      parts += weight.parts;
    });
  });
  return pages;
}

/**
 * Compare two revisions and shape the result for viewing: `diffRevisions`
 * (its own time budget, `options.budgetMs`) with every row bounded and the
 * hunks split into pages. Pure and serialisable: the input is two strings and
 * options, the output plain JSON.
 */
export function computeDiff(oldText: string, newText: string, options: ComputeOptions = {}): ComputedDiff {
  const limits: DiffLimits = { ...DIFF_LIMITS, ...options.limits };
  const diff = diffRevisions(oldText, newText, options);
  let truncatedRows = 0;
  let unhighlightedRows = 0;
  const hunks = diff.hunks.map((hunk): ViewHunk => {
    let oldLines = 0;
    let newLines = 0;
    const rows = hunk.rows.map((row) => {
      if (row.kind === "changed") {
        oldLines += row.oldCount;
        newLines += row.newCount;
      } else {
        if (row.kind !== "added") oldLines++;
        if (row.kind !== "removed") newLines++;
      }
      const shown = viewRow(row, limits);
      if (shown.kind === "changed") {
        if (shown.oldCut > 0 || shown.newCut > 0) truncatedRows++;
        if (row.kind === "changed" && row.oldParts && !shown.oldParts) unhighlightedRows++;
      } else if (shown.cut > 0) truncatedRows++;
      return shown;
    });
    return { oldStart: hunk.oldStart, newStart: hunk.newStart, oldLines, newLines, rows };
  });
  const a = normalise(oldText);
  const pages = paginate(hunks, limits);
  linkMoves(hunks, pages);
  return {
    hunks,
    pages,
    stats: diff.stats,
    fields: diff.fields,
    identical: diff.identical,
    coarse: diff.coarse,
    oldLineCount: countLines(a, 0, a.length),
    truncatedRows,
    unhighlightedRows,
  };
}

/** Give each moved row the other end of its move (line and page), so the view can link the two. */
function linkMoves(hunks: ViewHunk[], pages: PageStart[]): void {
  const starts = new Map<number, { old?: MoveEnd; new?: MoveEnd }>();
  let page = 0;
  const each = (visit: (row: ViewRow, page: number) => void) => {
    page = 0;
    hunks.forEach((hunk, h) =>
      hunk.rows.forEach((row, r) => {
        const next = pages[page];
        if (next && (h > next.hunk || (h === next.hunk && r >= next.row))) page++;
        visit(row, page);
      }),
    );
  };
  each((row, onPage) => {
    if ((row.kind !== "added" && row.kind !== "removed") || row.moveId === undefined) return;
    const ends = starts.get(row.moveId) ?? {};
    if (row.kind === "removed") ends.old ??= { line: row.oldLine, page: onPage };
    else ends.new ??= { line: row.newLine, page: onPage };
    starts.set(row.moveId, ends);
  });
  if (starts.size === 0) return;
  each((row) => {
    if ((row.kind !== "added" && row.kind !== "removed") || row.moveId === undefined) return;
    const other = row.kind === "removed" ? starts.get(row.moveId)?.new : starts.get(row.moveId)?.old;
    if (other) row.move = other;
  });
}
