import { Parser } from "htmlparser2";

/**
 * The text a discussion's passage is located in (W3C TextPositionSelector
 * offsets count UTF-16 code units of it): what a reader can select on a page,
 * in page order, its parts joined by SEGMENT_SEPARATOR. For a difference page:
 * the TKM side, the SL side, then the article body; otherwise the body alone.
 * The body's text is its HTML's text content, as a browser's DOM gives it
 * (the page's script, app/wiki/[slug]/passage-marks.tsx, counts the same way
 * over the elements marked `data-anchor-segment`).
 */
export const SEGMENT_SEPARATOR = "\n\n";

export type TextSegments = { tkm?: string; sl?: string; html: string };

/** The text content of HTML (entities decoded), linear in its length. */
export function htmlText(html: string): string {
  const parts: string[] = [];
  const parser = new Parser({ ontext: (text) => parts.push(text) }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return parts.join("");
}

/** A revision's rendered text: its sides (difference pages) and its body. */
export function renderedText(segments: TextSegments): string {
  const parts = [segments.tkm, segments.sl, htmlText(segments.html)].filter((part): part is string => part !== undefined);
  return parts.join(SEGMENT_SEPARATOR);
}
