import "server-only";
import { AppError } from "@/lib/errors";
import { describeDiff, diffBetween } from "./revision-diff";

/** Budget of the diff behind a revision's one-line summary; past it the summary is coarse, never missing. */
const SUMMARY_DIFF_BUDGET_MS = 100;
/** Longest a save waits for the reads lane to make its summary. */
const SUMMARY_WAIT_MS = 300;

/**
 * The one-line summary of a change ("SL side changed; lines: 3 added; +120
 * bytes"), stored with each revision at save so feeds and lists never diff per
 * request. The diff runs in the CPU pool's diff lane; when the lane is full
 * (or busy for SUMMARY_WAIT_MS) the answer is null, and whoever needs the summary first fills it in.
 */
export async function summariseChange(oldText: string, newText: string, delta: number): Promise<string | null> {
  try {
    // A save never waits long for its summary: a busy lane leaves it to whoever needs it first.
    const diff = await diffBetween(oldText, newText, { budgetMs: SUMMARY_DIFF_BUDGET_MS, context: 0 }, SUMMARY_WAIT_MS);
    return describeDiff(diff, delta);
  } catch (error) {
    if (error instanceof AppError && error.code === "unavailable") return null;
    throw error;
  }
}
