import ipaddr from "ipaddr.js";

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
 * The network a client's address stands for, where one person may hold many
 * addresses: an IPv6 address's /64 (the least a host or a home is handed, so
 * per address one machine could be 2^64 guests), an IPv4 address itself (an
 * IPv4-mapped IPv6 address as IPv4). Anything not an address is kept as it is.
 */
export function clientNetwork(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(":")}::/64`;
}

export type OriginPolicy = {
  /** The wiki's public address, when configured. */
  publicUrl?: string;
  /** Whether X-Forwarded-Host / X-Forwarded-Proto come from a reverse proxy we run (TRUST_PROXY=on). */
  trustProxy: boolean;
  /** Host names (optionally with :port) this wiki answers to besides loopback (ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
};

/** The host name of a Host header value, lower-cased, without port or IPv6 brackets; null when malformed. */
function hostName(host: string): string | null {
  // Only a plain name or address with an optional port: no user info, path or anything else URL parsing would forgive.
  if (host.length > 255 || !/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return null;
  }
}

/** Whether a Host header value names this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host);
  if (name === null) return false;
  return name === "localhost" || name.endsWith(".localhost") || name === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Whether a Host header value may be used to build this wiki's own URLs: loopback, or listed in ALLOWED_HOSTS (by name, or name:port). */
export function isTrustedHost(host: string, policy: OriginPolicy): boolean {
  if (isLoopbackHost(host)) return true;
  const name = hostName(host);
  if (name === null) return false;
  return (policy.allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === host.toLowerCase() || allowed.toLowerCase() === name);
}

/** The host this request was sent to: the Host header, or a trusted proxy's X-Forwarded-Host. */
export function requestHost(headers: Headers, policy: OriginPolicy): string | null {
  const forwarded = policy.trustProxy ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return forwarded || headers.get("host");
}

/**
 * The wiki's own origin, never an arbitrary Host header's: PUBLIC_URL when
 * set; else the scheme and host the request was sent to when that host is
 * loopback or in ALLOWED_HOSTS; else null (the caller refuses, or falls back).
 */
export function trustedOrigin(headers: Headers, policy: OriginPolicy): string | null {
  if (policy.publicUrl) return new URL(policy.publicUrl).origin;
  const host = requestHost(headers, policy);
  if (!host || !isTrustedHost(host, policy)) return null;
  const proto = policy.trustProxy ? headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  return `${proto === "https" ? "https" : "http"}://${host.toLowerCase()}`;
}

/** The wiki's origin for absolute URLs: trustedOrigin, or http://localhost for a host that is not trusted. */
export function siteOrigin(headers: Headers, policy: OriginPolicy): string {
  return trustedOrigin(headers, policy) ?? "http://localhost";
}

/**
 * The request headers a response built on siteOrigin depends on, for its
 * `Vary`: none with PUBLIC_URL (one origin for all); else the Host, and a
 * trusted proxy's X-Forwarded-Host and -Proto. A shared cache then keeps one
 * copy per origin and never serves links built for one origin on another.
 */
export function originVary(policy: OriginPolicy): string | null {
  if (policy.publicUrl) return null;
  return policy.trustProxy ? "Host, X-Forwarded-Host, X-Forwarded-Proto" : "Host";
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
