import { hasControl } from "@/lib/text";

/**
 * Where to go after sign-in: only a place on this site. The target is
 * resolved against the site's origin exactly as a browser would resolve it
 * (so `/.//host`, `/..//host` and `/%2e//host` are seen for what they are),
 * and followed only when the result has the site's origin; anything else is
 * `/`. Browsers drop tabs and newlines from URLs and read backslashes as
 * slashes, so such input is refused outright. The answer is a path that
 * cannot leave the site when used as a Location (never `//…`).
 */
export function safeCallback(raw: unknown, origin = "http://propagate.invalid"): string {
  if (typeof raw !== "string" || raw.length > 2000 || hasControl(raw) || raw.includes("\\")) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  const path = url.pathname + url.search + url.hash;
  // A path that begins with two slashes would be read as another host when used on its own.
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path;
}
