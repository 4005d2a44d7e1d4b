import { decodeNamedCharacterReference } from "decode-named-character-reference";

/** Schemes a page may link to; everything else with a scheme is refused. */
export const SAFE_URL_SCHEMES: ReadonlySet<string> = new Set(["http", "https", "mailto"]);

/** Longer URLs are refused outright (tracking links are rarely over 4 KB). */
export const MAX_URL_LENGTH = 8192;

/** Entity and percent decoding is repeated until stable, at most this often. */
const MAX_DECODE_ROUNDS = 6;

// The longest HTML named character reference, `CounterClockwiseContourIntegral`, has 31 letters.
const MAX_ENTITY_NAME_LENGTH = 31;

const ENTITY = /&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z][A-Za-z0-9]*));?/g;
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
// eslint-disable-next-line no-control-regex -- control characters are what this strips
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007F-\u009F\s]/g;

/**
 * Decode HTML character references: named (`&colon;`, `&Tab;`, `&NewLine;`),
 * decimal (`&#106;`) and hexadecimal (`&#x6A;`), each with or without the
 * trailing semicolon. Without a semicolon the longest known name prefix is
 * used, as HTML does for legacy names (so `&colonx` decodes to `:x`).
 * Returns `null` for a numeric reference that is not a Unicode scalar value.
 */
export function decodeHtmlEntities(input: string): string | null {
  if (!input.includes("&")) return input;
  let failed = false;
  const out = input.replace(ENTITY, (match: string, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined || dec !== undefined) {
      const digits = (hex ?? dec)!.replace(/^0+/, "");
      const code = digits.length > 8 ? Infinity : parseInt(digits || "0", hex !== undefined ? 16 : 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        failed = true;
        return match;
      }
      return String.fromCodePoint(code);
    }
    const full = match.endsWith(";") ? decodeNamedCharacterReference(name!) : false;
    if (full !== false) return full;
    for (let length = Math.min(name!.length, MAX_ENTITY_NAME_LENGTH); length >= 2; length--) {
      const decoded = decodeNamedCharacterReference(name!.slice(0, length));
      if (decoded !== false) return decoded + match.slice(1 + length);
    }
    return match;
  });
  return failed ? null : out;
}

/**
 * Decode `%XX` escapes. A lone `%` (or `%zz`) is kept as a literal; escapes
 * that are not valid UTF-8 make the whole value undecodable (`null`).
 */
export function percentDecode(input: string): string | null {
  if (!input.includes("%")) return input;
  let failed = false;
  const out = input.replace(PERCENT_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      failed = true;
      return run;
    }
  });
  return failed ? null : out;
}

/**
 * The form of `raw` that URL safety is decided on: HTML entities and percent
 * escapes decoded repeatedly until stable (bounded), tabs and newlines removed
 * everywhere (as browsers do), NFKC-normalised, control characters and
 * whitespace trimmed from both ends and removed from the scheme, and the
 * scheme lowercased.
 * Returns `null` when the value cannot be decoded or does not settle.
 * The result is for inspection only; link to the original value.
 */
export function normaliseUrl(raw: string): string | null {
  if (raw.length > MAX_URL_LENGTH) return null;
  let current = raw;
  let stable = false;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const entities = decodeHtmlEntities(current);
    const decoded = entities === null ? null : percentDecode(entities);
    if (decoded === null) return null;
    if (decoded === current) {
      stable = true;
      break;
    }
    current = decoded;
  }
  if (!stable) return null;
  // NFKC folds look-alikes such as full-width `ｊａｖａｓｃｒｉｐｔ：`.
  const value = trimControlOrSpace(current.normalize("NFKC").replace(TAB_OR_NEWLINE, ""));
  const end = schemeEnd(value);
  if (end === -1) return value;
  return value.slice(0, end).replace(CONTROL_OR_SPACE, "").toLowerCase() + value.slice(end);
}

/**
 * The scheme of a normalised URL (`"https"`, `"javascript"`), `""` for a
 * colon with nothing before it, or `null` when the URL has no scheme
 * (a path, `?query` or `#fragment` comes first).
 */
export function urlScheme(normalised: string): string | null {
  const end = schemeEnd(normalised);
  return end === -1 ? null : normalised.slice(0, end);
}

/**
 * Whether `raw` may be used as a link, image or media URL in a page:
 * `http:`, `https:` and `mailto:` URLs, site-relative paths (`/wiki/x`, but
 * not protocol-relative `//host`, `\\host` or `/\host`), `#fragments`,
 * `?queries` and relative paths. Anything with another scheme (`javascript:`,
 * `vbscript:`, `data:`, `file:` …), however disguised by entities, percent
 * escapes, control characters or case, is refused, as is anything that fails
 * to decode, is empty, or is longer than {@link MAX_URL_LENGTH}.
 */
export function isSafeUrl(raw: string): boolean {
  const url = normaliseUrl(raw);
  if (url === null || url === "") return false;
  const scheme = urlScheme(url);
  if (scheme !== null) return SAFE_URL_SCHEMES.has(scheme);
  return !/^[\\/][\\/]/.test(url);
}

/** Index of the colon ending a scheme, or -1 if a path, query or fragment starts first. */
function schemeEnd(value: string): number {
  const match = /[:/?#\\]/.exec(value);
  return match !== null && match[0] === ":" ? match.index : -1;
}

/** Whether a character is a control, C1 control, or white space (what URL parsers trim). */
function isControlOrSpace(c: string): boolean {
  const code = c.charCodeAt(0);
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/.test(c);
}

/**
 * Trim controls and white space from both ends in one scan each way. (A regex
 * `[…]+$` retries from every position of a long inner run: quadratic.)
 */
function trimControlOrSpace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isControlOrSpace(value[start]!)) start++;
  while (end > start && isControlOrSpace(value[end - 1]!)) end--;
  return value.slice(start, end);
}
