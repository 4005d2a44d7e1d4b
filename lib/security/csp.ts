import { embedFrameSources, embedMediaSources } from "@/lib/mdx/embeds";

/**
 * The Content-Security-Policy of every page: scripts only from this origin
 * with this request's nonce (Next's own inline scripts carry it), no eval,
 * no plugins, no framing; pictures and media from this site only (no
 * tracking pixels), frames only from the embed providers' players
 * (lib/mdx/embeds.ts), and media from this site and the podcast hosts
 * (PODCAST_HOSTS: the same list the Embed facade checks enclosures against),
 * which load when a reader asks for them.
 */
export function contentSecurityPolicy(nonce: string, { dev = false, podcastHosts = [] }: { dev?: boolean; podcastHosts?: readonly string[] } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    ["media-src 'self'", ...embedMediaSources(podcastHosts)].join(" "),
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    `frame-src ${embedFrameSources.join(" ")}`,
    "worker-src 'self'",
    "manifest-src 'self'",
  ].join("; ");
}

/** A fresh, unguessable nonce (128 bits, base64). */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
