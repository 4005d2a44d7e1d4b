/**
 * How a stored file is answered (app/media/[hash]/[name]/route.ts): the byte
 * range asked for, and the headers that make the answer safe to open
 * directly and cacheable for ever. Pure functions.
 */
import { allowedTypes, extensionOf } from "./file-types";

export type RangeAsk = { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

/**
 * The one range of a `Range: bytes=…` header (RFC 9110). Several ranges, or
 * a header this does not understand, get the whole file (which the RFC
 * allows); a range that starts past the end is unsatisfiable (416).
 */
export function parseRange(header: string | null, size: number): RangeAsk {
  if (!header) return { kind: "full" };
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return { kind: "full" };
  const [, from, to] = match;
  if (from === "" && to === "") return { kind: "full" };
  if (from === "") {
    // The last N bytes.
    const suffix = Number(to);
    if (suffix === 0) return { kind: "unsatisfiable" };
    return size === 0 ? { kind: "unsatisfiable" } : { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return { kind: "unsatisfiable" };
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return { kind: "full" };
  return { kind: "partial", start, end };
}

/** Cached for a year and never revalidated: the address names the bytes (their SHA-256). */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The CSP of every stored file: nothing in it may run script, load anything
 * or be framed, whatever a browser takes it for (`sandbox` without
 * allow-scripts makes it a unique origin where no script runs).
 */
export const MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/** A file name for Content-Disposition: ASCII fallback plus the UTF-8 name (RFC 6266). */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_").slice(0, 200) || "file";
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 200))}`;
}

const NAME_MAX = 200;

/**
 * What a stored file is called when saved: the name in its address, which
 * anyone may write (the hash alone decides the bytes), made harmless. It
 * always ends in an extension of the file's own type, so a link to
 * /media/<pdf>/invoice.html or …/x.exe never saves an HTML page or a program
 * from the wiki's origin; control, invisible and direction-changing
 * characters (U+202E makes "x‮gnp.exe" read as "xexe.png") and path
 * separators are replaced; a long name is cut before its extension.
 */
export function downloadName(name: string, mime: string): string {
  const extensions = Object.values(allowedTypes)
    .filter((t) => t.mime === mime)
    .flatMap((t) => t.extensions);
  const clean = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\]/gu, "_");
  const own = extensionOf(clean);
  const kept = own !== "" && extensions.includes(own);
  const extension = kept ? clean.slice(clean.length - own.length) : (extensions[0] ?? "bin");
  const stem = kept ? clean.slice(0, clean.length - own.length - 1) : clean;
  return `${[...stem].slice(0, NAME_MAX - extension.length - 1).join("") || "file"}.${extension}`;
}

/**
 * The Content-Disposition of a stored file's answer, from the name in its
 * address (`variant`: a resized copy, which is WebP whatever the name says).
 * PDFs are downloaded, never shown in the wiki's origin (their viewers run
 * script). The front server's media cache makes it per answer too
 * (lib/http/media-cache.ts): it keeps one copy of the bytes for every name.
 */
export function mediaDisposition(name: string, mime: string, variant = false): string {
  const shown = variant ? `${name.slice(0, name.lastIndexOf(".") >= 0 ? name.lastIndexOf(".") : name.length)}.webp` : name;
  return contentDisposition(mime === "application/pdf" ? "attachment" : "inline", downloadName(shown, mime));
}

/** Headers of a stored file's answer (status and range headers are added by the caller). */
export function mediaHeaders(opts: { mime: string; etag: string; name: string; variant?: boolean }): Record<string, string> {
  return {
    "Content-Type": opts.mime === "text/vtt" ? "text/vtt; charset=utf-8" : opts.mime,
    "Cache-Control": IMMUTABLE,
    ETag: opts.etag,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": MEDIA_CSP,
    "Content-Disposition": mediaDisposition(opts.name, opts.mime, opts.variant),
    "Cross-Origin-Resource-Policy": "same-site",
    "Referrer-Policy": "no-referrer",
  };
}

/** Whether an If-None-Match header names this ETag (or `*`). */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim().replace(/^W\//, "");
    return t === "*" || t === etag;
  });
}
