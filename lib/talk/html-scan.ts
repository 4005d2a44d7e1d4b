/**
 * HTML read as a flat stream of tags and text by htmlparser2's tokenizer.
 * Not its Parser: that keeps open elements with `Array.prototype.unshift`,
 * quadratic in the nesting depth (1 MB of `<b>` took 13.7 s). Here nothing
 * is nested, so the work is linear in the input. Entities are decoded in
 * text and attribute values; comments, CDATA and declarations are skipped.
 * Pure: safe on client and server.
 */
import { Tokenizer } from "htmlparser2";

export type HtmlEvents = {
  /** An open tag (name and attribute names lower-cased; the first of duplicate attributes wins), at the offset of its `<`. */
  open?: (name: string, attribs: ReadonlyMap<string, string>, start: number) => void;
  /** A close tag (or the end of a self-closing one). */
  close?: (name: string) => void;
  /** Text between tags (inside `<script>` and `<style>` too), entities decoded. */
  text?: (data: string) => void;
};

/** Read `html` once, calling `on` for every tag and run of text. */
export function scanHtml(html: string, on: HtmlEvents): void {
  let text = "";
  let tagName = "";
  let tagStart = 0;
  let attribs = new Map<string, string>();
  let attribName = "";
  let attribValue = "";
  const flush = () => {
    if (text !== "") on.text?.(text);
    text = "";
  };
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onattribdata: (start, end) => void (attribValue += html.slice(start, end)),
      onattribentity: (codepoint) => void (attribValue += String.fromCodePoint(codepoint)),
      onattribend: () => {
        if (!attribs.has(attribName)) attribs.set(attribName, attribValue);
        attribValue = "";
      },
      onattribname: (start, end) => void (attribName = html.slice(start, end).toLowerCase()),
      oncdata: () => undefined,
      oncomment: () => undefined,
      ondeclaration: () => undefined,
      onprocessinginstruction: () => undefined,
      onclosetag: (start, end) => {
        flush();
        on.close?.(html.slice(start, end).toLowerCase());
      },
      onend: flush,
      onopentagname: (start, end) => {
        flush();
        tagName = html.slice(start, end).toLowerCase();
        tagStart = start - 1;
        attribs = new Map();
      },
      onopentagend: () => on.open?.(tagName, attribs, tagStart),
      onselfclosingtag: () => {
        on.open?.(tagName, attribs, tagStart);
        on.close?.(tagName);
      },
      ontext: (start, end) => void (text += html.slice(start, end)),
      ontextentity: (codepoint) => void (text += String.fromCodePoint(codepoint)),
    },
  );
  tokenizer.write(html);
  tokenizer.end();
}
