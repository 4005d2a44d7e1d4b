/** How discussed passages are worded wherever they are listed (page panel, talk page, diff). */

/** A quote cut to a readable length for lists. */
export function shortQuote(quote: string, max = 160): string {
  return quote.length > max ? `${quote.slice(0, max - 1)}…` : quote;
}

/** What became of a thread's passage, in words (not colour alone). */
export function anchorStatusText(anchor: { anchorStatus: "anchored" | "fuzzy" | "orphaned"; confidence: number; unplaced?: boolean }): string {
  if (anchor.anchorStatus === "anchored") return "on the page";
  if (anchor.anchorStatus === "fuzzy") return `reworded since (a close match, ${Math.round(anchor.confidence * 100)}% alike)`;
  // The bounded search gave up: where it is was not decided, which is not the same as gone.
  if (anchor.unplaced) return "not placed on this revision (the text around it repeats too much to tell where it is)";
  return "no longer on the page";
}
