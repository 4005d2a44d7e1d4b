import { hasControl } from "@/lib/text";

/**
 * Only paths on this site are followed after sign-in. Browsers drop tabs and
 * newlines from URLs and read backslashes as slashes, so `/\t/evil.example`
 * would leave the site: such input is refused outright, and what remains must
 * resolve to this origin.
 */
export function safeCallback(raw: unknown): string {
  if (typeof raw !== "string" || !raw.startsWith("/") || hasControl(raw) || raw.includes("\\")) return "/";
  const base = "http://propagate.invalid";
  const url = new URL(raw, base);
  return url.origin === base ? url.pathname + url.search + url.hash : "/";
}
