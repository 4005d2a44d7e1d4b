import { createHash } from "node:crypto";
import { stripNonXmlChars } from "@/lib/text";

/** MediaWiki's export namespace, version 0.11 (docs/export-0.11.xsd in MediaWiki). */
export const MEDIAWIKI_XMLNS = "http://www.mediawiki.org/xml/export-0.11/";

/**
 * A text's SHA-1 as MediaWiki stores it (`rev_sha1`): the hex digest converted to
 * base 36 and left-padded with zeros to 31 characters (Wikimedia\base_convert).
 */
export function sha1Base36(text: string): string {
  const hex = createHash("sha1").update(text, "utf8").digest("hex");
  return BigInt(`0x${hex}`).toString(36).padStart(31, "0");
}

/** Escape text for an element or a double-quoted attribute, dropping characters XML 1.0 forbids. */
export function xmlEscape(value: string): string {
  const clean = stripNonXmlChars(value);
  let out = "";
  let from = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const entity = c === 38 ? "&amp;" : c === 60 ? "&lt;" : c === 62 ? "&gt;" : c === 34 ? "&quot;" : c === 13 ? "&#13;" : undefined;
    if (entity === undefined) continue;
    out += clean.slice(from, i) + entity;
    from = i + 1;
  }
  return from === 0 ? clean : out + clean.slice(from);
}

/** A timestamp as MediaWiki writes it: ISO 8601 in UTC, whole seconds. */
export function mediawikiTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
