
/**
 * The client's address for rate limits: the last X-Forwarded-For hop, which
 * scripts/server.ts sets from the socket (or appends to a trusted reverse
 * proxy's header with TRUST_PROXY=on), so a client cannot choose it.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const last = forwarded?.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
  return last || headers.get("x-real-ip") || "unknown";
}

/**
 * Whether a state-changing request comes from this site: its Origin header
 * must name the host it was sent to. A missing Origin, `Origin: null` or
 * another site is refused (CSRF). Requests authenticated by a bearer token
 * carry no cookies and need no such check.
 */
export function isSameOrigin(headers: Headers, publicUrl?: string): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const allowed = new Set<string>();
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (host) allowed.add(host);
  if (publicUrl) allowed.add(new URL(publicUrl).host);
  return allowed.has(originHost);
}
