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

export type OriginPolicy = {
  /** The wiki's public address, when configured. */
  publicUrl?: string;
  /** Whether X-Forwarded-Host / X-Forwarded-Proto come from a reverse proxy we run (TRUST_PROXY=on). */
  trustProxy: boolean;
};

/** The host this request was sent to: the Host header, or a trusted proxy's X-Forwarded-Host. */
export function requestHost(headers: Headers, policy: OriginPolicy): string | null {
  const forwarded = policy.trustProxy ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return forwarded || headers.get("host");
}

/** The wiki's origin as this request sees it: PUBLIC_URL, else the scheme and host it was sent to. */
export function siteOrigin(headers: Headers, policy: OriginPolicy): string {
  if (policy.publicUrl) return new URL(policy.publicUrl).origin;
  const proto = policy.trustProxy ? headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  return `${proto === "https" ? "https" : "http"}://${requestHost(headers, policy) ?? "localhost"}`;
}

/**
 * Whether a state-changing request comes from this site (CSRF): its Origin
 * header must name the host it was sent to, or PUBLIC_URL's. A missing
 * Origin, `Origin: null`, a browser's `Sec-Fetch-Site: cross-site`, or
 * another host is refused. X-Forwarded-Host counts only behind a trusted
 * proxy. No other header (prefetch hints among them) changes the answer.
 */
export function isSameOrigin(headers: Headers, policy: OriginPolicy): boolean {
  if (headers.get("sec-fetch-site") === "cross-site") return false;
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  if (policy.publicUrl && new URL(policy.publicUrl).host === originHost) return true;
  const host = requestHost(headers, policy);
  return host !== null && host === originHost;
}
