import { z } from "zod";

/**
 * The one place that says what text Propagate accepts from people, and the
 * small helpers every edge uses on it. Everything here is a single linear
 * scan: no regex with backtracking runs over user text.
 */

/** Where `text` holds a character no field accepts, and why; null when it is clean. */
export type TextFault = { index: number; codePoint: number; reason: "control" | "surrogate" };

/**
 * The first character that no text field accepts: a C0 control other than tab
 * and newline (NUL among them, which PostgreSQL refuses), or half of a
 * surrogate pair (not a character at all, and not valid UTF-8).
 */
export function findTextFault(text: string): TextFault | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a) continue;
      return { index: i, codePoint: c, reason: "control" };
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, codePoint: c, reason: "surrogate" };
    }
  }
  return null;
}

/** Browsers send a textarea's lines with CRLF; the wiki stores LF. A lone CR is a line break too. */
export function normalizeNewlines(text: string): string {
  return text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
}

/** `U+0000` for a code point, as the error messages name characters. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A person-readable sentence for a fault in a named field. */
export function describeTextFault(label: string, fault: TextFault): string {
  return fault.reason === "control"
    ? `${label} contains a control character (${codePointName(fault.codePoint)}) at position ${fault.index + 1}; remove it and try again.`
    : `${label} contains a broken character (an unpaired surrogate, ${codePointName(fault.codePoint)}) at position ${fault.index + 1}.`;
}

/** Text with every C0 control (but tab and newline) and every unpaired surrogate removed: for display of stored or foreign text. */
export function stripTextFaults(text: string): string {
  if (findTextFault(text) === null) return text;
  // One pass, keeping runs of good characters (re-scanning the rest after each fault would be quadratic).
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let bad = false;
    if (c < 0x20) bad = c !== 0x09 && c !== 0x0a;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      bad = true;
    }
    if (bad) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.join("");
}

/** A C0 control (U+0000–U+001F, tab and newline among them) or DEL. */
export function isControl(codeUnit: number): boolean {
  return codeUnit < 0x20 || codeUnit === 0x7f;
}

/** Whether `text` holds a C0 control or DEL: never part of a name, a title, a path or a query. */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/**
 * `text` with every C0 control and DEL replaced by `replacement`; with
 * `keepLineBreaks`, tab and newline stay (for multi-line text).
 */
export function replaceControls(text: string, replacement: string, options: { keepLineBreaks?: boolean } = {}): string {
  const keep = (c: number) => options.keepLineBreaks === true && (c === 0x09 || c === 0x0a);
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isControl(c) || keep(c)) continue;
    out += text.slice(from, i) + replacement;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * `text` with every character XML 1.0 does not allow removed (controls but
 * tab, newline and CR; U+FFFE and U+FFFF; unpaired surrogates): one of them
 * would make a whole feed unreadable.
 */
export function stripNonXmlChars(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    const allowed = c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0xd800) || (c >= 0xe000 && c <= 0xfffd);
    if (allowed) continue;
    out += text.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Decode one %-encoded URL segment (a title in a path); null when the escapes are broken. */
export function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export type TextOptions = {
  /** The field's name as people see it: "Edit summary", "Title". */
  label: string;
  /** At most this many UTF-16 code units. */
  max: number;
  /** At least this many, after trimming when `trim` is set. */
  min?: number;
  /** Trim surrounding white space. */
  trim?: boolean;
};

/**
 * The one schema for every string that comes from a request: form fields, JSON
 * bodies and query parameters alike. It turns CRLF into LF, refuses controls
 * and broken characters with a message naming the field, and bounds the length.
 */
export function text({ label, max, min = 0, trim = false }: TextOptions) {
  return z
    .string({ error: `${label} must be text.` })
    .max(max * 2 + 2, `${label} is too long (at most ${max.toLocaleString("en")} characters).`)
    .transform((value, ctx) => {
      let v = normalizeNewlines(value);
      if (trim) v = v.trim();
      const fault = findTextFault(v);
      if (fault) {
        ctx.addIssue({ code: "custom", message: describeTextFault(label, fault) });
        return z.NEVER;
      }
      if (v.length > max) {
        ctx.addIssue({ code: "custom", message: `${label} is too long (at most ${max.toLocaleString("en")} characters).` });
        return z.NEVER;
      }
      if (v.length < min) {
        ctx.addIssue({ code: "custom", message: min === 1 ? `${label} is required.` : `${label} must be at least ${min} characters.` });
        return z.NEVER;
      }
      return v;
    });
}

// One character class, tested once per call: linear.
const INVISIBLE = /[\p{Cc}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/u;

/**
 * The first character of `text` that a name or title must not hold because a
 * reader cannot see it or it reorders what they see: controls (C0 and C1),
 * default-ignorable characters (zero-width spaces and joiners, soft hyphens,
 * variation selectors…) and bidirectional controls (right-to-left overrides…).
 * Null when there is none.
 */
export function findInvisible(text: string): { index: number; codePoint: number } | null {
  const match = INVISIBLE.exec(text);
  return match ? { index: match.index, codePoint: match[0].codePointAt(0)! } : null;
}

const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");

/**
 * A name from elsewhere (an imported contributor) made safe to show: NFC,
 * runs of white space (line breaks among them) made one space, every
 * character findInvisible refuses removed, trimmed, and at most `max` characters. One linear pass each.
 */
export function cleanForeignName(raw: string, max: number): string {
  // Line breaks and tabs (controls too) become spaces before the invisible characters go.
  const clean = raw.normalize("NFC").replace(/\s+/g, " ").replace(INVISIBLE_ALL, "").replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}
