import { isMixedScript, skeleton } from "./confusables";
import { codePointName, decodeSegment, describeTextFault, findInvisible, findTextFault, hasControl } from "@/lib/text";

/** Titles of uploaded files' pages start with this ("File:Garden.jpg"). */
export const FILE_PREFIX = "File:";

/** A page title after normalisation, and the slug that names it in URLs. */
export type Title = { title: string; slug: string };

const MAX_TITLE_BYTES = 255;
// Characters that would clash with wiki link syntax, URLs or markup (controls are refused too).
const FORBIDDEN = /[#<>[\]|{}]/u;

/** Why a title was refused. */
export class TitleError extends Error {
  override name = "TitleError";
}

/**
 * Normalise a title the way MediaWiki does: Unicode NFC, underscores and runs
 * of white space become one space, trimmed, first letter upper-cased.
 * Accepts a title or a slug. Throws TitleError for an unusable title.
 */
export function parseTitle(raw: string): Title {
  let text = raw.normalize("NFC").replace(/[_\s]+/gu, " ").trim();
  if (text.length === 0) throw new TitleError("A title cannot be empty.");
  if (FORBIDDEN.test(text) || hasControl(text)) {
    throw new TitleError("A title cannot contain # < > [ ] | { } or control characters.");
  }
  const fault = findTextFault(text);
  if (fault) throw new TitleError(describeTextFault("The title", fault));
  // U+FFFD is what a broken %-escape or encoding decodes to: a title holding it is a damaged link, never a name (as in MediaWiki).
  if (text.includes("\uFFFD")) throw new TitleError("A title cannot contain the replacement character (U+FFFD): the link or text it came from was damaged.");
  const invisible = findInvisible(text);
  if (invisible) {
    throw new TitleError(`A title cannot contain invisible or direction-changing characters (${codePointName(invisible.codePoint)} at position ${invisible.index + 1}): they make look-alikes of other titles.`);
  }
  if (isMixedScript(text)) {
    throw new TitleError("A title cannot mix scripts whose letters look alike (such as Latin with Cyrillic or Greek): it would pass for another title.");
  }
  if (text.startsWith("/") || text.includes("/..") || text === "." || text === "..") {
    throw new TitleError("A title cannot start with / or contain relative path parts.");
  }
  // Upper-case the first letter only when that stays one character (ß would become SS, changing the
  // spelling), then normalise again: an upper-cased letter can decompose (ΐ), and a title must
  // come out of parseTitle unchanged when parsed a second time.
  const first = text.codePointAt(0)!;
  const firstChar = String.fromCodePoint(first);
  const upper = firstChar.toUpperCase();
  if ([...upper].length === 1) text = (upper + text.slice(firstChar.length)).normalize("NFC");
  if (Buffer.byteLength(text, "utf8") > MAX_TITLE_BYTES) {
    throw new TitleError(`A title can be at most ${MAX_TITLE_BYTES} bytes long.`);
  }
  return { title: text, slug: text.replace(/ /g, "_") };
}

/**
 * The UTS #39 skeleton of a parsed title: two titles with the same skeleton
 * look alike, so a new page may not take one another page already has.
 */
export function titleSkeleton(title: string): string {
  return skeleton(title);
}

/** parseTitle that returns null instead of throwing. */
export function tryParseTitle(raw: string): Title | null {
  try {
    return parseTitle(raw);
  } catch (error) {
    if (error instanceof TitleError) return null;
    throw error;
  }
}

/** The path of a page, percent-encoded where needed but keeping readable slugs. */
export function pagePath(slug: string, suffix = ""): string {
  return `/wiki/${encodeURIComponent(slug).replace(/%2C/g, ",").replace(/%3A/g, ":")}${suffix}`;
}

/**
 * The title a %-encoded URL path segment names (`/wiki/<segment>`), or null
 * for broken escapes or an unusable title. `canonical` says whether the
 * segment already spells the title's slug (else the route redirects there).
 */
export function titleFromSegment(segment: string): (Title & { canonical: boolean }) | null {
  const decoded = decodeSegment(segment);
  const title = decoded === null ? null : tryParseTitle(decoded);
  return title ? { ...title, canonical: title.slug === decoded } : null;
}
