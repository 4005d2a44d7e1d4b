/**
 * The diff's time budget and its stages: the line diff gives up first, then
 * the paragraph diff, and the result says why it is coarse.
 */
export const DEFAULT_BUDGET_MS = 1000;
export const DEFAULT_MAX_LINE_LENGTH = 10_000;
export const DEFAULT_CONTEXT = 3;
/** Share of the budget after which the line diff gives up, then the paragraph diff. */
export const LINE_STAGE_SHARE = 0.6;
export const PARAGRAPH_STAGE_SHARE = 0.85;
/** Pairing, moves and word highlights stop here, leaving the rest for assembling rows. */
export const DETAIL_STAGE_SHARE = 0.9;
/** Beyond this many lines (both sides, after trimming) go straight to the cheaper stages. */
export const MAX_LINE_ITEMS = 400_000;
export const MAX_PARAGRAPH_ITEMS = 400_000;

export const COARSE_PARAGRAPHS =
  "The line-by-line comparison did not finish within the time budget; changes are shown paragraph by paragraph.";
export const COARSE_REPLACED =
  "The revisions are too large or too different to compare within the time budget; the changed region is shown as removed and re-added.";

export function nonNegative(value: number | undefined, fallback: number): number {
  return value === undefined || Number.isNaN(value) ? fallback : Math.max(0, value);
}
