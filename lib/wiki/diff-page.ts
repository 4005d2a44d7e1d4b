/**
 * One page of a computed diff (pure, cheap: proportional to the rows on the
 * page). Pages are numbered from 1 and fixed by the diff itself, so a page
 * number always names the same rows of a pair of revisions.
 */
import type { ComputedDiff, ViewRow } from "./diff-compute";

/**
 * A hunk, or the part of it on this page. `continued`: it began on an earlier
 * page; `continues`: it goes on on the next. `skippedBefore`: unchanged lines
 * between the previous hunk and this one (not shown).
 */
export type PageHunk = {
  /** 1-based number of the hunk in the whole diff. */
  number: number;
  oldStart: number;
  newStart: number;
  oldLines: number;
  newLines: number;
  rows: ViewRow[];
  continued: boolean;
  continues: boolean;
  skippedBefore: number;
};

export type DiffPageView = Omit<ComputedDiff, "hunks" | "pages"> & {
  page: number;
  pageCount: number;
  hunkCount: number;
  hunks: PageHunk[];
  /** Unchanged lines after the last hunk (set on the last page only). */
  skippedAfter: number;
};

/** Clamp a requested page number (1-based) to the pages there are. */
export function pageNumber(diff: ComputedDiff, requested: number | null | undefined): number {
  if (!requested || !Number.isFinite(requested) || requested < 1) return 1;
  return Math.min(Math.floor(requested), diff.pages.length);
}

/** Unchanged lines between hunk `h - 1` (or the start) and hunk `h`. */
function skippedBefore(diff: ComputedDiff, h: number): number {
  const hunk = diff.hunks[h]!;
  if (h === 0) return hunk.oldStart - 1;
  const previous = diff.hunks[h - 1]!;
  return hunk.oldStart - (previous.oldStart + previous.oldLines);
}

/** Page `requested` (clamped) of a computed diff. */
export function diffPage(diff: ComputedDiff, requested?: number | null): DiffPageView {
  const { hunks: all, pages, ...rest } = diff;
  const page = pageNumber(diff, requested);
  const start = pages[page - 1]!;
  const end = pages[page] ?? { hunk: all.length, row: 0 };
  const hunks: PageHunk[] = [];
  for (let h = start.hunk; h < all.length && (h < end.hunk || (h === end.hunk && end.row > 0)); h++) {
    const hunk = all[h]!;
    const from = h === start.hunk ? start.row : 0;
    const to = h === end.hunk ? end.row : hunk.rows.length;
    hunks.push({
      number: h + 1,
      oldStart: hunk.oldStart,
      newStart: hunk.newStart,
      oldLines: hunk.oldLines,
      newLines: hunk.newLines,
      rows: hunk.rows.slice(from, to),
      continued: from > 0,
      continues: to < hunk.rows.length,
      skippedBefore: from > 0 ? 0 : skippedBefore(diff, h),
    });
  }
  const last = all[all.length - 1];
  const skippedAfter = page === pages.length && last ? Math.max(0, rest.oldLineCount + 1 - (last.oldStart + last.oldLines)) : 0;
  return { ...rest, page, pageCount: pages.length, hunkCount: all.length, hunks, skippedAfter };
}
