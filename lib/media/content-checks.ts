/**
 * What an upload's bytes may not hold, beyond their type (lib/media/inspect.ts
 * decides the type): markup a browser would act on hidden in a binary file (a
 * polyglot), tags in WebVTT captions other than WebVTT's own cue markup, and
 * PDFs that carry script, launch programs, embed files or forms, or hide
 * what they carry where it cannot be checked. Pure functions, run in the media
 * lane of the worker pool. Every scan is linear in the bytes: hand-written,
 * or regular expressions of literal alternatives only; decompression is
 * bounded per stream, in total and in the number of streams.
 */
import zlib from "node:zlib";
import type { MediaCategory } from "./file-types";

// ------------------------------------------------------------ markup in binary files

/** Tags a browser acts on, matched as a prefix of the tag name (as before: `<scriptx` counts). */
const PREFIX_TAGS = ["script", "html", "body", "iframe", "svg", "!doctype", "?php", "object", "embed"];
/** Tags matched as a whole name (followed by white space, `/` or `>`, as HTML ends a tag name), so short ones do not turn up in compressed data. */
const WHOLE_TAGS = new Set(["meta", "img", "image", "form", "style", "link", "base", "input", "button", "math", "video", "audio", "source", "track", "frame", "frameset", "template", "textarea", "select", "details", "marquee", "applet", "xss", "portal", "picture", "noscript", "isindex", "animate", "set", "use", "foreignobject", "xml"]);
/** URL schemes that run script. */
const SCRIPT_SCHEMES = /javascript:|vbscript:|data:text\/html/;
/** Bytes looked at after a `<` for an event handler, at most (a tag's attributes). */
const TAG_REACH = 512;
/** The scan's window over a large file; windows overlap by the longest look-ahead, so nothing straddling a boundary is missed. */
const WINDOW = 1 << 20;
const OVERLAP = TAG_REACH + 32;

const isTagEnd = (c: string | undefined) => c === undefined || c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r" || c === "/" || c === ">";
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";
const isLetter = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";

/**
 * What markup a tag starting at `at` (a `<` in lower-cased text) is, if a
 * browser would act on it: a listed tag, `<a href`, or any tag with an event
 * handler (`on…=`). Looks no further than the next `<` or TAG_REACH bytes.
 */
function activeTag(text: string, at: number, end: number): string | null {
  for (const tag of PREFIX_TAGS) if (text.startsWith(tag, at + 1)) return `<${tag}`;
  let j = at + 1;
  while (j < end && j - at <= 24 && (isLetter(text[j]) || (j > at + 1 && text[j]! >= "0" && text[j]! <= "9"))) j++;
  const name = text.slice(at + 1, j);
  if (name === "") return null;
  if (WHOLE_TAGS.has(name) && isTagEnd(text[j])) return `<${name}`;
  // A link's href after any white space or `/` (HTML reads `<a/href=…>` as a link); the scan stops at the next `<`, as the handler scan does.
  if ((name === "a" || name === "area") && (isSpace(text[j]) || text[j] === "/")) {
    let k = j;
    const reach = Math.min(end, at + TAG_REACH);
    while (k < reach && (isSpace(text[k]) || text[k] === "/")) k++;
    if (text.startsWith("href", k)) return `<${name} href`;
  }
  // An event handler among the attributes: white space, `/` or a quote, then on<letters>, optional space, `=`.
  const stop = Math.min(end, at + TAG_REACH);
  for (let k = j; k < stop; k++) {
    const c = text[k];
    if (c === ">" || c === "<") return null;
    if ((isSpace(c) || c === "/" || c === '"' || c === "'") && text[k + 1] === "o" && text[k + 2] === "n") {
      let m = k + 3;
      while (m < stop && m - k < 40 && isLetter(text[m])) m++;
      if (m - (k + 3) < 3) continue;
      while (m < stop && isSpace(text[m])) m++;
      if (text[m] === "=") return `${text.slice(k + 1, m)}=`;
    }
  }
  return null;
}

/** Active markup in lower-cased text, looking at tags that start before `limit`. Each byte is looked at a bounded number of times. */
function markupIn(text: string, limit: number): string | null {
  const scheme = SCRIPT_SCHEMES.exec(text);
  if (scheme) return scheme[0];
  let at = text.indexOf("<");
  while (at !== -1 && at < limit) {
    const next = text.indexOf("<", at + 1);
    const found = activeTag(text, at, next === -1 ? text.length : next);
    if (found) return found;
    at = next;
  }
  return null;
}

/**
 * The first markup or script a browser would act on anywhere in the bytes
 * (an HTML page behind an image header, say), or null: listed tags, `<a
 * href`, event handlers after a tag start, script URL schemes. Case does not
 * matter; so is markup written in UTF-16. One pass in overlapping 1 MiB windows.
 */
export function findMarkup(bytes: Uint8Array): string | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buffer.length; start += WINDOW) {
    const end = Math.min(buffer.length, start + WINDOW + OVERLAP * 2);
    const text = buffer.toString("latin1", start, Math.min(buffer.length, start + WINDOW + OVERLAP)).toLowerCase();
    const found = markupIn(text, Math.min(text.length, WINDOW)) ?? utf16Markup(buffer, start, end);
    if (found) return found;
  }
  return null;
}

const UTF16_LT = [Buffer.from("<\0", "latin1"), Buffer.from("\0<", "latin1")];

/**
 * Markup written in UTF-16 (either byte order, from an even or an odd
 * offset) in the window from `start` to `end`: the bytes at each parity
 * that have a zero byte beside them (ASCII in UTF-16), the others read as
 * nothing, scanned as findMarkup scans. Only when the window holds a `<`
 * beside a zero byte. Linear.
 */
function utf16Markup(buffer: Buffer, start: number, end: number): string | null {
  const window = buffer.subarray(start, end);
  if (UTF16_LT.every((lt) => window.indexOf(lt) === -1)) return null;
  const half = Math.ceil((end - start) / 2);
  for (const parity of [0, 1]) {
    const view = Buffer.alloc(half, 0x01);
    let n = 0;
    for (let k = start + parity; k < end; k += 2, n++) {
      if (buffer[k + 1] === 0 || buffer[k - 1] === 0) view[n] = buffer[k]!;
    }
    const text = view.toString("latin1", 0, n).toLowerCase();
    const found = markupIn(text, Math.min(text.length, WINDOW / 2));
    if (found) return found;
  }
  return null;
}

// ------------------------------------------------------------ WebVTT

/** WebVTT's cue markup: classes, italics, bold, underline, ruby, ruby text, voice, language. */
const CUE_TAGS = new Set(["c", "i", "b", "u", "ruby", "rt", "v", "lang"]);
/** Tags whose start tag may carry an annotation (the voice's name, the language). */
const ANNOTATED = new Set(["v", "lang"]);
const TIMESTAMP = /^(?:\d{2,4}:)?[0-5]\d:[0-5]\d\.\d{3}$/;
const CLASS_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Why a cue's tag is not WebVTT cue markup, or null when it is. `inner` is the text between `<` and `>`. */
function cueTagProblem(inner: string): string | null {
  if (TIMESTAMP.test(inner)) return null;
  const closing = inner.startsWith("/");
  const body = closing ? inner.slice(1) : inner;
  const space = body.search(/[ \t\f]/);
  const head = space === -1 ? body : body.slice(0, space);
  const annotation = space === -1 ? "" : body.slice(space + 1);
  const [name = "", ...classes] = head.split(".");
  if (!CUE_TAGS.has(name)) return `<${inner.slice(0, 40)}> is not WebVTT cue markup`;
  if (closing && (classes.length > 0 || annotation !== "")) return `</${name}> takes nothing after its name`;
  if (classes.some((c) => !CLASS_NAME.test(c))) return `a class of <${name}> is not letters, digits, - or _`;
  if (annotation !== "" && !ANNOTATED.has(name)) return `<${name}> takes no annotation`;
  // A voice's name or a language is text: nothing that would make it markup elsewhere.
  if (/[<>"'=&`]/.test(annotation)) return `the annotation of <${name}> holds markup characters`;
  return null;
}

/**
 * Why a WebVTT file is refused, or null: every `<` in a cue's text must open
 * WebVTT cue markup (c, i, b, u, ruby, rt, v, lang, or a timestamp); a NOTE
 * or the header may hold no tag at all; a STYLE block may not load anything
 * (`url(`, `@import`, `image-set(`, `src(`) nor hold `<` or a CSS escape. Linear: each `<` is matched to the next
 * `>` on its line.
 */
export function vttProblem(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8").replace(/\r\n?/g, "\n");
  const blocks = text.split(/\n{2,}/);
  for (const [index, block] of blocks.entries()) {
    const lines = block.split("\n");
    const timing = lines.findIndex((line) => line.includes("-->"));
    if (index === 0 || block.startsWith("NOTE") || block.startsWith("REGION") || timing === -1) {
      if (block.startsWith("STYLE")) {
        const lower = block.toLowerCase();
        // CSS escapes (`\75 rl(` is `url(`) are refused whole; image-set() and src() load without url().
        if (["url(", "@import", "<", "\\", "image-set(", "image(", "src("].some((s) => lower.includes(s))) return "A STYLE block of these captions loads something, holds markup or a CSS escape.";
        continue;
      }
      const tag = markupIn(block.toLowerCase(), block.length);
      if (tag || /<[a-z!?/]/i.test(block)) return "The header or a NOTE of these captions holds a tag; only cue text may hold WebVTT's cue markup.";
      continue;
    }
    const cue = lines.slice(timing + 1).join("\n");
    let at = cue.indexOf("<");
    // The end of the line `at` is on, found again only once `at` has passed it: each byte is looked at a bounded number of times.
    let newline = -1;
    while (at !== -1) {
      const close = cue.indexOf(">", at + 1);
      if (newline !== -1 && newline < at) newline = -1;
      if (newline === -1) newline = cue.indexOf("\n", at + 1);
      if (newline === -1) newline = cue.length;
      if (close === -1 || newline < close) return `A cue holds "<" that opens no tag; write it as &lt;.`;
      const problem = cueTagProblem(cue.slice(at + 1, close));
      if (problem) return `A cue holds a tag WebVTT does not have: ${problem}.`;
      at = cue.indexOf("<", close + 1);
    }
  }
  return null;
}

// ------------------------------------------------------------ PDF

/** Names that make a PDF act: script, programs, embedded files, multimedia, forms that run script, encryption (streams we cannot read). */
const REFUSED_NAMES: Readonly<Record<string, string>> = {
  javascript: "runs JavaScript",
  js: "runs JavaScript",
  launch: "launches a program",
  embeddedfile: "embeds a file",
  embeddedfiles: "embeds files",
  richmedia: "embeds rich media (Flash or 3D)",
  richmediaexecute: "embeds rich media (Flash or 3D)",
  xfa: "holds an XFA form (which runs script)",
  submitform: "submits a form",
  importdata: "imports data",
  gotoe: "opens an embedded document",
  encrypt: "is encrypted, so its contents cannot be checked",
};
/** Actions an opening (/OpenAction) or an additional action (/AA) may take: moving within the document, or a link. */
const CHECKED_ACTIONS = new Set(["goto", "named", "uri"]);

/** Bounds of the PDF check: bytes decoded from streams per file, streams decoded per file, dictionaries and arrays open at once. */
export const PDF_LIMITS = { decodedBytes: 64 * 2 ** 20, streams: 20_000, depth: 1_000 } as const;

export type PdfVerdict = { ok: true } | { ok: false; message: string };

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const hexValue = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** A name at `at` (just past its `/`), its `#xx` escapes decoded, lower-cased (at most 127 characters kept), and where it ends. Linear in its length. */
function readName(data: Uint8Array, at: number): { value: string; end: number } {
  let value = "";
  let i = at;
  while (i < data.length && !WHITE.has(data[i]!) && !DELIMITER.has(data[i]!)) {
    const c = data[i]!;
    let char = c;
    if (c === 0x23 && i + 2 < data.length && hexValue(data[i + 1]!) >= 0 && hexValue(data[i + 2]!) >= 0) {
      char = hexValue(data[i + 1]!) * 16 + hexValue(data[i + 2]!);
      i += 3;
    } else i++;
    if (value.length < 127) value += String.fromCharCode(char);
  }
  return { value: value.toLowerCase(), end: i };
}

/** What a refused name anywhere in `data` from `start` to `end` makes the PDF do (strings and comments count too), or null. */
function refusedName(data: Uint8Array, start: number, end: number): string | null {
  for (let i = data.indexOf(0x2f, start); i !== -1 && i < end; i = data.indexOf(0x2f, i + 1)) {
    const why = REFUSED_NAMES[readName(data, i + 1).value];
    if (why) return why;
  }
  return null;
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isRegular = (c: number | undefined) => c !== undefined && !WHITE.has(c) && !DELIMITER.has(c);

/**
 * Where `N G obj` and `stream` (at the end of its line) are written anywhere in
 * the bytes, strings, comments and streams' data included: the places a reader
 * may go to through the cross-reference table, whatever comes before. Linear.
 */
function rawKeywords(data: Buffer): number[] {
  const found: number[] = [];
  for (let i = data.indexOf("stream", 0, "latin1"); i !== -1; i = data.indexOf("stream", i + 1, "latin1")) {
    if (!isRegular(data[i - 1]) && (data[i + 6] === 0x0a || data[i + 6] === 0x0d)) found.push(i);
  }
  for (let i = data.indexOf("obj", 0, "latin1"); i !== -1; i = data.indexOf("obj", i + 1, "latin1")) {
    if (isRegular(data[i + 3])) continue;
    // Back over white space, a generation, white space, an object number (a few bytes at most).
    let j = i - 1;
    while (j >= 0 && i - j < 8 && WHITE.has(data[j]!)) j--;
    const generationEnd = j;
    while (j >= 0 && generationEnd - j < 6 && isDigit(data[j])) j--;
    if (j === generationEnd || j < 0 || !WHITE.has(data[j]!)) continue;
    while (j >= 0 && generationEnd - j < 16 && WHITE.has(data[j]!)) j--;
    if (isDigit(data[j])) found.push(i);
  }
  return found;
}

/** A string is where its bytes are (between its delimiters), decoded only when needed (stringValue). */
type Token = { kind: "name"; value: string } | { kind: "open-dict" | "close-dict" | "open-array" | "close-array" } | { kind: "string"; start: number; end: number; hex: boolean } | { kind: "word"; value: string };

/** A string's value, its escapes (literal) or hex digits decoded, at most `max` characters of it. Linear in what it reads. */
function stringValue(data: Uint8Array, token: { start: number; end: number; hex: boolean }, max = 4096): string {
  let out = "";
  if (token.hex) {
    let high = -1;
    for (let i = token.start; i < token.end && out.length < max; i++) {
      const v = hexValue(data[i]!);
      if (v < 0) continue;
      if (high < 0) high = v;
      else {
        out += String.fromCharCode(high * 16 + v);
        high = -1;
      }
    }
    return high >= 0 && out.length < max ? out + String.fromCharCode(high * 16) : out;
  }
  const escapes: Record<number, string> = { 0x6e: "\n", 0x72: "\r", 0x74: "\t", 0x62: "\b", 0x66: "\f" };
  for (let i = token.start; i < token.end && out.length < max; i++) {
    const c = data[i]!;
    if (c !== 0x5c) {
      out += String.fromCharCode(c);
      continue;
    }
    const next = data[++i];
    if (next === undefined || i >= token.end) break;
    if (next >= 0x30 && next <= 0x37) {
      let value = next - 0x30;
      for (let k = 0; k < 2 && i + 1 < token.end && data[i + 1]! >= 0x30 && data[i + 1]! <= 0x37; k++) value = value * 8 + (data[++i]! - 0x30);
      out += String.fromCharCode(value & 0xff);
    } else if (next === 0x0d) {
      if (data[i + 1] === 0x0a) i++;
    } else if (next !== 0x0a) out += escapes[next] ?? String.fromCharCode(next);
  }
  return out;
}

/** Schemes a link (/URI) may have: web pages and mail. */
const LINK_SCHEMES = new Set(["http", "https", "mailto"]);

/** Whether a link's target is a web page or mail (or has no scheme): tabs, line ends and controls are dropped first, as browsers drop them from URLs. */
function safeLink(uri: string): boolean {
  // eslint-disable-next-line no-control-regex -- controls are what is dropped
  const clean = uri.replace(/[\u0000-\u0020\u007f]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]{0,31}):/.exec(clean);
  return scheme ? LINK_SCHEMES.has(scheme[1]!) : !clean.startsWith("//") && !clean.startsWith("\\\\");
}

/**
 * PDF's tokens, one pass: comments skipped, strings one token each (a
 * literal string's nesting and escapes honoured), names decoded. At
 * `stream`, `onStream` is given the position after the keyword and answers
 * where to go on (past `endstream`): a stream's bytes are never lexed.
 * Where each `obj` and `stream` keyword read starts goes into `keywords`.
 */
function* tokens(data: Uint8Array, onStream: (at: number) => number, keywords: Set<number>): Generator<Token> {
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    if (WHITE.has(c)) i++;
    else if (c === 0x25) {
      while (i < data.length && data[i] !== 0x0a && data[i] !== 0x0d) i++;
    } else if (c === 0x2f) {
      const name = readName(data, i + 1);
      i = name.end;
      yield { kind: "name", value: name.value };
    } else if (c === 0x28) {
      let depth = 1;
      i++;
      const start = i;
      while (i < data.length && depth > 0) {
        if (data[i] === 0x5c) i++;
        else if (data[i] === 0x28) depth++;
        else if (data[i] === 0x29) depth--;
        i++;
      }
      yield { kind: "string", start, end: Math.max(start, Math.min(i, data.length) - 1), hex: false };
    } else if (c === 0x3c && data[i + 1] === 0x3c) {
      i += 2;
      yield { kind: "open-dict" };
    } else if (c === 0x3e && data[i + 1] === 0x3e) {
      i += 2;
      yield { kind: "close-dict" };
    } else if (c === 0x3c) {
      const start = i + 1;
      while (i < data.length && data[i] !== 0x3e) i++;
      i++;
      yield { kind: "string", start, end: Math.min(i - 1, data.length), hex: true };
    } else if (c === 0x5b || c === 0x5d) {
      i++;
      yield { kind: c === 0x5b ? "open-array" : "close-array" };
    } else if (DELIMITER.has(c)) i++;
    else {
      const start = i;
      while (i < data.length && !WHITE.has(data[i]!) && !DELIMITER.has(data[i]!)) i++;
      const value = i - start <= 16 ? Buffer.from(data.buffer, data.byteOffset + start, i - start).toString("latin1") : "";
      if (value === "stream") keywords.add(start);
      else if (value.endsWith("obj") && value !== "endobj") keywords.add(i - 3);
      if (value === "stream") i = onStream(i);
      else yield { kind: "word", value };
    }
  }
}

/** What a dictionary says of the stream that may follow it. */
type StreamDict = {
  filters: string[];
  predictor: number;
  columns: number;
  colors: number;
  bits: number;
  length: number | null;
  /** The object whose integer is the length, when /Length is a reference. */
  lengthRef: number | null;
  type: string;
  subtype: string;
  fontProgram: boolean;
  count: number;
  /** Whether the dictionary has /First: a reader reads such a stream as an object stream when the cross-reference stream points into it, whatever else its dictionary says. */
  first: boolean;
};

const newStreamDict = (): StreamDict => ({ filters: [], predictor: 1, columns: 1, colors: 1, bits: 8, length: null, lengthRef: null, type: "", subtype: "", fontProgram: false, count: 0, first: false });

/** What the check keeps of each numbered object, to follow references to actions: its kind, its dictionary's /S, and its keys' references. */
type ObjectInfo = { kind: "dict" | "array" | "other"; s: string | null; refs: Map<string, number> };

/** A stream a reader may read objects from: an object stream, or any stream with /First (readers follow the cross-reference stream's pointer, not /Type). */
const holdsObjects = (dict: StreamDict) => dict.type === "objstm" || dict.first;

/** Streams whose contents are never read as PDF objects or drawing (pictures, font programs, cross-reference tables, XMP): not scanned, so their binary bytes cannot look like a name. Never a stream that may hold objects. */
function isOpaque(dict: StreamDict): boolean {
  if (holdsObjects(dict)) return false;
  return dict.fontProgram || dict.subtype === "image" || dict.type === "xref" || dict.type === "metadata" || ["type1c", "cidfonttype0c", "opentype"].includes(dict.subtype);
}

/** Undo a PNG or TIFF predictor (DecodeParms), or null when it is one this check does not know. */
function unpredict(data: Buffer, dict: StreamDict): Buffer | null {
  if (dict.predictor <= 1) return data;
  const bpp = Math.max(1, Math.ceil((dict.colors * dict.bits) / 8));
  const row = Math.ceil((dict.columns * dict.colors * dict.bits) / 8);
  if (!(row > 0 && row <= 1 << 20)) return null;
  if (dict.predictor === 2) {
    if (dict.bits !== 8) return null;
    const out = Buffer.from(data);
    for (let i = 0; i < out.length; i++) if (i % row >= bpp) out[i] = (out[i]! + out[i - bpp]!) & 0xff;
    return out;
  }
  if (dict.predictor < 10) return null;
  const rows = Math.floor(data.length / (row + 1));
  const out = Buffer.alloc(rows * row);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (row + 1)]!;
    const src = r * (row + 1) + 1;
    const dst = r * row;
    for (let i = 0; i < row; i++) {
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - row + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - row + i - bpp]! : 0;
      let value = data[src + i]!;
      if (type === 1) value += left;
      else if (type === 2) value += up;
      else if (type === 3) value += (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (type !== 0) return null;
      out[dst + i] = value & 0xff;
    }
  }
  return out;
}

/** ASCIIHexDecode. */
function fromHex(data: Buffer): Buffer {
  const out = Buffer.alloc(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const v = hexValue(c);
    if (v < 0) continue;
    if (high < 0) high = v;
    else {
      out[n++] = high * 16 + v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high * 16;
  return out.subarray(0, n);
}

/** ASCII85Decode, at most `max` bytes out (null past it), into one buffer (at most 4 bytes per byte in, never more than `max` + 4). */
function fromAscii85(data: Buffer, max: number): Buffer | null {
  const out = Buffer.alloc(Math.min(max + 4, data.length * 4 + 4));
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    while (group.length < 5) group.push(84);
    const value = group.reduce((acc, d) => acc * 85 + d, 0);
    const bytes = [Math.floor(value / 2 ** 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
    for (let k = 0; k < count; k++) out[n++] = bytes[k]!;
    group.length = 0;
  };
  for (const c of data) {
    if (c === 0x7e) break;
    if (c === 0x7a && group.length === 0) n += 4;
    else if (c >= 0x21 && c <= 0x75) {
      group.push(c - 33);
      if (group.length === 5) flush(4);
    }
    if (n > max) return null;
  }
  if (group.length > 1) flush(group.length - 1);
  return n > max ? null : out.subarray(0, n);
}

/** RunLengthDecode, at most `max` bytes out (null past it). */
function fromRunLength(data: Buffer, max: number): Buffer | null {
  // At most 128 bytes out per 2 bytes in; never more than `max` + 128 held.
  const out = Buffer.alloc(Math.min(max + 128, data.length * 64 + 128));
  let size = 0;
  let i = 0;
  while (i < data.length) {
    const n = data[i]!;
    if (n === 128) break;
    if (n < 128) {
      const literal = data.subarray(i + 1, Math.min(data.length, i + 2 + n));
      literal.copy(out, size);
      size += literal.length;
      i += n + 2;
    } else {
      out.fill(data[i + 1] ?? 0, size, size + 257 - n);
      size += 257 - n;
      i += 2;
    }
    if (size > max) return null;
  }
  return out.subarray(0, size);
}

/** Filters whose output is a picture, never read as PDF objects. */
const IMAGE_FILTERS = new Set(["dctdecode", "dct", "jpxdecode", "jbig2decode", "ccittfaxdecode", "ccf"]);

type Container =
  | { type: "dict"; dict: StreamDict; key: string | null; numberOf: string | null; number: number; parentKey: string | null; action: boolean; events: boolean }
  | { type: "array"; parentKey: string | null; action: boolean; events: boolean };

const UNSEEN_ACTION = "This PDF opens with an action, or attaches one to an event, that this check cannot find in the file; it is not accepted.";
const refusedAction = (type: string) =>
  REFUSED_NAMES[type] ? `This PDF ${REFUSED_NAMES[type]}; it is not accepted.` : `This PDF takes an action (${type}) when it is opened or on an event; only moving within the document and links are accepted.`;

class PdfChecker {
  #decoded = 0;
  #streams = 0;
  /** Numbered objects seen, in the file and in its object streams. */
  readonly #objects = new Map<number, ObjectInfo>();
  /** References to actions (or to an /AA map of events to actions) met, checked once every object is known. */
  readonly #pending: { ref: number; as: "action" | "events" }[] = [];
  /** The largest integer each numbered object was defined as (an object may be defined more than once: a reader may take any). */
  readonly #integers = new Map<number, number>();
  /** Streams whose length is a reference: the object, and how many bytes this check took as the stream's data. */
  readonly #lengths: { ref: number; used: number }[] = [];

  /** A stream's bytes through its filters, within the bounds; "image" when they decode to a picture; otherwise why they cannot be checked. */
  decode(raw: Buffer, dict: StreamDict): Buffer | { cannot: string } | "image" {
    let data = raw;
    for (const [index, filter] of dict.filters.entries()) {
      if (IMAGE_FILTERS.has(filter) && holdsObjects(dict)) return { cannot: `an object stream is decoded as a picture (${filter})` };
      if (IMAGE_FILTERS.has(filter)) return index === dict.filters.length - 1 ? "image" : { cannot: `a stream decodes a picture (${filter}) into something else` };
      const left = PDF_LIMITS.decodedBytes - this.#decoded;
      const tooMuch = { cannot: `its compressed streams decode to more than ${PDF_LIMITS.decodedBytes / 2 ** 20} MB` };
      if (++this.#streams > PDF_LIMITS.streams) return { cannot: `it has more than ${PDF_LIMITS.streams.toLocaleString("en")} compressed streams` };
      let out: Buffer | null;
      try {
        if (filter === "flatedecode" || filter === "fl") {
          // A truncated stream is read as far as it goes, as readers do; what it decodes to is bounded.
          out = left <= 0 ? null : zlib.inflateSync(data, { maxOutputLength: left, finishFlush: zlib.constants.Z_SYNC_FLUSH });
          if (out) {
            out = unpredict(out, dict);
            if (!out) return { cannot: "a stream uses a predictor this check does not know" };
          }
        } else if (filter === "asciihexdecode" || filter === "ahx") out = fromHex(data);
        else if (filter === "ascii85decode" || filter === "a85") out = fromAscii85(data, left);
        else if (filter === "runlengthdecode" || filter === "rl") out = fromRunLength(data, left);
        else return { cannot: `a stream uses the ${filter || "unnamed"} filter, which this check cannot read` };
      } catch (error) {
        if (error instanceof RangeError) return tooMuch;
        return { cannot: "a compressed stream is damaged" };
      }
      if (!out || out.length > left) return tooMuch;
      this.#decoded += out.length;
      data = out;
    }
    return data;
  }

  /**
   * Check PDF syntax: the file, or a decoded stream (`nested`: an object
   * stream's objects, or drawing). Names anywhere outside streams, then
   * the structure: opening and additional actions, and each stream decoded
   * and checked in turn. Returns why the PDF is refused, or null.
   */
  check(data: Uint8Array, nested: boolean, objectStream: { count: number } | null = null): string | null {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const stack: Container[] = [];
    // The numbered object being read: after `N G obj` in the file; in an object stream, the values in the order of its header's numbers.
    let current: ObjectInfo | null = null;
    const recent: string[] = [];
    const headerNumbers: number[] = [];
    let headerWords = objectStream ? Math.min(objectStream.count, 1_000_000) * 2 : 0;
    let nextInStream = 0;
    // The number of the object just opened (`N G obj`): its first token may be an integer (a stream's length).
    let integerOf: number | null = null;
    // How many open containers are actions (kept as a count: the nesting may be deep).
    let actions = 0;
    let closed: StreamDict | null = null;
    let problem: string | null = null;
    // Raw names are scanned between streams (the bytes a reader parses as objects), in strings and comments too.
    let scannedTo = 0;
    const scanNames = (end: number) => {
      const why = problem ? null : refusedName(bytes, scannedTo, end);
      if (why) problem = `This PDF ${why}; it is not accepted.`;
    };
    const onStream = (at: number): number => {
      scanNames(at);
      let start = at;
      if (bytes[start] === 0x0d) start++;
      if (bytes[start] === 0x0a) start++;
      const dict = closed ?? newStreamDict();
      // The declared length when `endstream` follows it closely; otherwise (a reference, or wrong) the first `endstream`.
      const declared = dict.length;
      // Looked for only within a few bytes of where the length says (an end of line may come first): a wrong length costs no scan.
      const near = declared !== null && start + declared <= bytes.length ? bytes.subarray(start + declared, start + declared + 11).indexOf("endstream", 0, "latin1") : -1;
      const end = near !== -1 ? start + declared! + near : bytes.indexOf("endstream", start, "latin1");
      const stop = end === -1 ? bytes.length : end;
      if (!problem && nested) problem = "This PDF cannot be checked (a stream inside a stream); it is not accepted.";
      else if (!problem && !isOpaque(dict)) {
        const decoded = this.decode(bytes.subarray(start, stop), dict);
        if (typeof decoded === "object" && "cannot" in decoded) problem = `This PDF cannot be checked: ${decoded.cannot}; it is not accepted.`;
        else if (decoded !== "image") problem = this.check(decoded, true, holdsObjects(dict) ? { count: dict.count } : null);
      }
      // A reader takes a referenced length from its object: the data must not go on past the `endstream` taken as its end here.
      if (!nested && dict.lengthRef !== null) this.#lengths.push({ ref: dict.lengthRef, used: stop - start });
      scannedTo = end === -1 ? bytes.length : end + "endstream".length;
      return scannedTo;
    };
    /** The innermost dictionary's value is complete: its key is used up. */
    const valueDone = () => {
      const top = stack.at(-1);
      if (top?.type === "dict") top.key = null;
    };
    const keywords = new Set<number>();
    for (const token of tokens(bytes, onStream, keywords)) {
      if (problem) return problem;
      if (objectStream && stack.length === 0) {
        if (headerWords > 0 && token.kind === "word") {
          if (headerWords-- % 2 === 0) headerNumbers.push(Number(token.value));
          continue;
        }
        headerWords = 0;
        if (token.kind !== "close-dict" && token.kind !== "close-array") {
          const number = headerNumbers[nextInStream++];
          current = number === undefined ? null : { kind: "other", s: null, refs: new Map() };
          if (current && number !== undefined) this.#objects.set(number, current);
          if (number !== undefined) this.#noteInteger(number, token);
        }
      }
      if (integerOf !== null && !(token.kind === "word" && token.value === "obj")) {
        this.#noteInteger(integerOf, token);
        integerOf = null;
      }
      if (!nested && stack.length === 0 && token.kind === "word") {
        if (token.value === "obj" && /^\d{1,10}$/.test(recent[0] ?? "") && /^\d{1,5}$/.test(recent[1] ?? "")) {
          current = { kind: "other", s: null, refs: new Map() };
          this.#objects.set(Number(recent[0]), current);
          integerOf = Number(recent[0]);
        } else if (token.value === "endobj") current = null;
        recent.push(token.value);
        if (recent.length > 2) recent.shift();
      }
      if (current && stack.length === 0 && current.kind === "other" && (token.kind === "open-dict" || token.kind === "open-array")) current.kind = token.kind === "open-dict" ? "dict" : "array";
      const top = stack.at(-1);
      const inAction = actions > 0;
      if (token.kind !== "close-dict") closed = null;
      if (token.kind !== "word" && top?.type === "dict") top.numberOf = null;
      switch (token.kind) {
        case "open-dict":
        case "open-array": {
          if (stack.length >= PDF_LIMITS.depth) return `This PDF cannot be checked: its dictionaries and arrays are nested more than ${PDF_LIMITS.depth.toLocaleString("en")} deep; it is not accepted.`;
          const key = top?.type === "dict" ? top.key : top?.type === "array" ? top.parentKey : null;
          const dictKey = top?.type === "dict" ? top.key : null;
          // An /OpenAction array is a destination (a place in this document), not an action; the value of /AA maps events to actions.
          if (token.kind === "open-dict") {
            const action = dictKey === "openaction" || dictKey === "aa" || dictKey === "next" || (top?.type === "dict" && top.events);
            stack.push({ type: "dict", dict: newStreamDict(), key: null, numberOf: null, number: 0, parentKey: key, action, events: dictKey === "aa" });
            if (action) actions++;
          } else stack.push({ type: "array", parentKey: key, action: false, events: false });
          break;
        }
        case "close-dict":
        case "close-array": {
          const done = stack.pop();
          if (done?.action) actions--;
          const parent = stack.at(-1);
          if (done?.type === "dict") {
            closed = done.dict;
            // DecodeParms (a dictionary, or an array of them) describe the stream of the dictionary holding them.
            const holder = parent?.type === "array" ? stack.at(-2) : parent;
            if (holder?.type === "dict" && done.parentKey === "decodeparms" && done.dict.predictor > 1) {
              Object.assign(holder.dict, { predictor: done.dict.predictor, columns: done.dict.columns, colors: done.dict.colors, bits: done.dict.bits });
            }
          }
          if (parent?.type === "dict") parent.key = null;
          break;
        }
        case "name":
          if (top?.type === "dict" && top.key === null) {
            top.key = token.value;
            if (["length1", "length2", "length3"].includes(token.value)) top.dict.fontProgram = true;
            break;
          }
          if (top?.type === "dict") {
            if (inAction && top.key === "s" && !CHECKED_ACTIONS.has(token.value)) return refusedAction(token.value);
            if (current && stack.length === 1 && top.key === "s") current.s = token.value;
            if (top.key === "filter") top.dict.filters.push(token.value);
            else if (top.key === "type") top.dict.type = token.value;
            else if (top.key === "subtype") top.dict.subtype = token.value;
          } else if (top?.type === "array" && top.parentKey === "filter") {
            const holder = stack.at(-2);
            if (holder?.type === "dict") holder.dict.filters.push(token.value);
          }
          valueDone();
          break;
        case "string":
          // A link (a URI action's /URI, wherever it is): to a web page or mail only.
          if (top?.type === "dict" && top.key === "uri" && !safeLink(stringValue(bytes, token))) return "This PDF links to something other than a web page or mail (a /URI that is not http, https or mailto); it is not accepted.";
          valueDone();
          break;
        case "word":
          if (top?.type !== "dict") break;
          if (token.value === "R" && top.numberOf !== null) {
            // A reference to an action (or to an /AA map of events): checked once every object is known.
            const ref = top.number;
            if (top.numberOf === "openaction" || (top.numberOf === "next" && inAction) || top.events) this.#pending.push({ ref, as: "action" });
            else if (top.numberOf === "aa") this.#pending.push({ ref, as: "events" });
            if (current && stack.length === 1) current.refs.set(top.numberOf, ref);
            if (top.numberOf === "length") {
              top.dict.length = null;
              top.dict.lengthRef = ref;
            }
            top.numberOf = null;
          } else if (top.key !== null && /^\d{1,10}$/.test(token.value)) {
            const n = Number(token.value);
            if (top.key === "length") top.dict.length = n;
            else if (top.key === "predictor") top.dict.predictor = n;
            else if (top.key === "columns") top.dict.columns = n;
            else if (top.key === "colors") top.dict.colors = n;
            else if (top.key === "bitspercomponent") top.dict.bits = n;
            else if (top.key === "n") top.dict.count = n;
            else if (top.key === "first") top.dict.first = true;
            // A reference's generation and `R` may follow.
            top.numberOf = top.key;
            top.number = n;
            top.key = null;
          } else if (top.key !== null) valueDone();
          break;
      }
    }
    scanNames(bytes.length);
    // An object or a stream a reader can reach that this reading did not meet (it took the bytes for a string, or a picture's data) would go unchecked.
    if (!problem && !nested && rawKeywords(bytes).some((at) => !keywords.has(at))) {
      problem = "This PDF cannot be checked: it has an object or a stream where this check read a string or another stream's data; it is not accepted.";
    }
    return problem;
  }

  #noteInteger(number: number, token: Token): void {
    if (token.kind !== "word" || !/^\d{1,10}$/.test(token.value)) return;
    this.#integers.set(number, Math.max(this.#integers.get(number) ?? 0, Number(token.value)));
  }

  /** Whether a stream's referenced length reaches past the `endstream` this check stopped at (an `endstream` inside its data hid the rest). */
  resolveLengths(): string | null {
    for (const { ref, used } of this.#lengths) {
      const length = this.#integers.get(ref);
      if (length === undefined) return "This PDF cannot be checked: a stream's length is kept in an object this check cannot find; it is not accepted.";
      if (length > used) return "This PDF cannot be checked: a stream's length reaches past the end of its data (an `endstream` inside it); it is not accepted.";
    }
    return null;
  }

  /** Follow the references to actions met (after the whole file is read): each must be found and only move within the document or link. */
  resolveActions(): string | null {
    const seen = new Set<string>();
    const queue = [...this.#pending];
    while (queue.length > 0) {
      const { ref, as } = queue.pop()!;
      if (seen.has(`${as}:${ref}`)) continue;
      seen.add(`${as}:${ref}`);
      if (seen.size > 100_000) return UNSEEN_ACTION;
      const object = this.#objects.get(ref);
      if (!object) return UNSEEN_ACTION;
      if (as === "events") {
        if (object.kind !== "dict") return UNSEEN_ACTION;
        for (const target of object.refs.values()) queue.push({ ref: target, as: "action" });
        continue;
      }
      // An opening destination may be an array; an action is a dictionary with its type in /S.
      if (object.kind === "array") continue;
      if (object.kind !== "dict" || object.s === null) return UNSEEN_ACTION;
      if (!CHECKED_ACTIONS.has(object.s)) return refusedAction(object.s);
      const next = object.refs.get("next");
      if (next !== undefined) queue.push({ ref: next, as: "action" });
    }
    return null;
  }
}

/**
 * Whether a PDF may be stored: no script (/JavaScript, /JS, whatever the
 * case or `#xx` escapes), no /Launch, embedded files, rich media, XFA forms,
 * form submission or data import, not encrypted; an /OpenAction or /AA only
 * moves within the document or follows a link, written where it can be seen;
 * the same for everything in its streams and object streams, decoded (Flate
 * with PNG/TIFF predictors, ASCIIHex, ASCII85, RunLength) within
 * PDF_LIMITS. A stream that cannot be decoded within them refuses the PDF,
 * saying so. Pictures, font programs and cross-reference streams are not
 * read (they are never parsed as objects). Linear in the bytes and in what
 * they decode to.
 */
export function checkPdf(bytes: Uint8Array): PdfVerdict {
  const checker = new PdfChecker();
  const problem = checker.check(bytes, false) ?? checker.resolveLengths() ?? checker.resolveActions();
  return problem ? { ok: false, message: problem } : { ok: true };
}

// ------------------------------------------------------------ an upload

/** Why an upload's content is refused for its kind (a polyglot, captions with foreign tags, an acting PDF), or null. */
export function contentProblem(bytes: Uint8Array, category: MediaCategory): string | null {
  const markup = findMarkup(bytes);
  if (markup) return `This file also holds HTML or script (${markup.slice(0, 40)}…): a polyglot; it is not accepted.`;
  if (category === "captions") return vttProblem(bytes);
  if (category === "document") {
    const verdict = checkPdf(bytes);
    return verdict.ok ? null : verdict.message;
  }
  return null;
}
