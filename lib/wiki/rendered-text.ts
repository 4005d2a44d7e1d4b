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

/** Elements after whose start tag an HTML parser drops one line feed (the HTML standard's "in body" insertion mode). */
const DROPS_LEADING_NEWLINE = new Set(["pre", "listing", "textarea"]);

/**
 * The text content of HTML (entities decoded) as a browser's DOM holds it,
 * linear in its length. Two rules of an HTML parser that htmlparser2 does not
 * follow are applied here, or the offsets a browser counts would differ:
 * a line feed right after a `<pre>`, `<listing>` or `<textarea>` start tag is
 * dropped, and a carriage return in the markup (with the line feed after it,
 * if any) is one line feed.
 */
export function htmlText(html: string): string {
  const parts: string[] = [];
  // True between such a start tag and whatever comes next.
  let afterPre = false;
  const parser = new Parser(
    {
      onopentag: (name) => {
        afterPre = DROPS_LEADING_NEWLINE.has(name);
      },
      onclosetag: () => {
        afterPre = false;
      },
      // A comment is a token too: a line feed after `<pre><!-- -->` is kept.
      oncomment: () => {
        afterPre = false;
      },
      onprocessinginstruction: () => {
        afterPre = false;
      },
      ontext: (text) => {
        const dropped = afterPre && text.startsWith("\n") ? text.slice(1) : text;
        afterPre = false;
        if (dropped !== "") parts.push(dropped);
      },
    },
    { decodeEntities: true },
  );
  // The input stream's preprocessing, before any tag or entity is read (a CR from `&#13;` stays, as in a browser).
  parser.write(html.replace(/\r\n?/g, "\n"));
  parser.end();
  return parts.join("");
}

/** A revision's rendered text: its sides (difference pages) and its body. */
export function renderedText(segments: TextSegments): string {
  const parts = [segments.tkm, segments.sl, htmlText(segments.html)].filter((part): part is string => part !== undefined);
  return parts.join(SEGMENT_SEPARATOR);
}
