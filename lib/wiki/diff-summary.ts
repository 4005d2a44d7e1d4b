import "server-only";
import { AppError } from "@/lib/errors";
import { describeDiff, diffBetween } from "./revision-diff";

/** Budget of the diff behind a revision's one-line summary; past it the summary is coarse, never missing. */
const SUMMARY_DIFF_BUDGET_MS = 100;

/**
 * The one-line summary of a change ("SL side changed; lines: 3 added; +120
 * bytes"), stored with each revision at save so feeds and lists never diff per
 * request. The diff runs in the CPU pool's diff lane; when the lane is full
 * the answer is null, and whoever needs the summary first fills it in.
 */
export async function summariseChange(oldText: string, newText: string, delta: number): Promise<string | null> {
  try {
    const diff = await diffBetween(oldText, newText, { budgetMs: SUMMARY_DIFF_BUDGET_MS, context: 0 });
    return describeDiff(diff, delta);
  } catch (error) {
    if (error instanceof AppError && error.code === "unavailable") return null;
    throw error;
  }
}
