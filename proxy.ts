import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, createNonce } from "@/lib/security/csp";
import { isSameOrigin } from "@/lib/security/request";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// Endpoints other sites are meant to call, which never act on cookies (a mail client's RFC 8058 one-click unsubscribe too).
const CROSS_SITE_ENDPOINTS = new Set(["/api/webmention", "/api/unsubscribe"]);

/**
 * Runs before every page: a per-request CSP nonce, passed to Next.js on the
 * request (it stamps its inline scripts with it) and sent to the browser.
 * Also refuses cross-site state-changing requests (CSRF) early; the edge
 * wrappers (lib/edge/form.ts, lib/edge/route.ts) check the origin again, so
 * no request depends on this file's matcher. It never decides who may do
 * what; that is each command's job.
 */
export function proxy(request: NextRequest) {
  // A path that is not valid percent-encoding names nothing; say so instead of failing later.
  try {
    decodeURIComponent(new URL(request.url).pathname);
  } catch {
    return new Response("This address is not valid: it contains a broken %-escape.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  // Forms (server actions) act for a signed-in browser; a token acts only through the JSON API.
  if (request.headers.has("next-action") && request.headers.get("authorization")?.startsWith("Bearer ")) {
    return Response.json(
      { error: { code: "unauthorized", message: "Forms work with a signed-in session; tools with an API token use the JSON API (/api/openapi.json)." } },
      { status: 401, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } },
    );
  }
  // CSRF: a state-changing request that relies on cookies must come from this
  // site. Bearer-token requests carry no cookies and are exempt.
  if (!SAFE_METHODS.has(request.method) && !CROSS_SITE_ENDPOINTS.has(request.nextUrl.pathname) && !request.headers.get("authorization")?.startsWith("Bearer ")) {
    if (!isSameOrigin(request.headers, { publicUrl: env().PUBLIC_URL, trustProxy: env().TRUST_PROXY === "on" })) {
      return Response.json(
        { error: { code: "forbidden:origin", message: "This request came from another site (or without an Origin header); nothing was changed." } },
        { status: 403, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } },
      );
    }
  }
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, { dev: env().NODE_ENV === "development", podcastHosts: env().PODCAST_HOSTS });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("X-Frame-Options", "DENY");
  return response;
}

// Every request but static assets, prefetches included: a prefetch header must neither skip the
// origin check nor leave a response without its security headers. Two routes set their own:
// uploaded files (/media/…: a sandboxing CSP of their own, app/media/[hash]/[name]/route.ts), and
// the upload API, whose bodies are larger than Next.js hands a proxy whole (the route's edge,
// lib/edge/route.ts, checks the origin as for every route).
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|media/|api/files$).*)"],
};
