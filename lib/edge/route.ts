import "server-only";
import { headers } from "next/headers";
import { actorFromToken } from "@/lib/auth/tokens";
import { currentActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/policy";
import type { CommandContext } from "@/lib/commands/command";
import { getDb } from "@/lib/db";
import { AppError, errorBody } from "@/lib/errors";
import { describeTextFault, findTextFault } from "@/lib/text";
import { clientIp, isSameOrigin, siteOrigin } from "@/lib/security/request";
import { toSafeError } from "./failure";
import { disposeMultipart, readMultipart, type MultipartBody } from "./multipart";
import { MAX_JSON_BYTES, originPolicy } from "./policy";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type RouteSpec = {
  /** The body this route reads, if any: JSON, a form-encoded body (Webmention), or multipart form data (uploads: streamed, files spooled to disk). */
  body?: "json" | "form" | "multipart";
  /** Largest body, in bytes (default MAX_JSON_BYTES). */
  maxBytes?: number;
  /** Called by other sites on purpose (Webmention): no origin check, and cookies are never read. */
  crossSite?: boolean;
  /** Resolve the signed-in session for a read (GET) too; writes always do. */
  session?: boolean;
  /** Only for someone signed in (a session or a token): 401 before the body is read. */
  signedIn?: boolean;
  /** multipart: a file's limit in bytes once its first 64 KiB are known (by its type); it may throw to refuse the file. */
  fileLimit?: (head: Uint8Array) => number | Promise<number>;
};

export type RouteRequest<P> = {
  request: Request;
  url: URL;
  params: P;
  /** The command context: who is asking (bearer token or session), their address, the site's origin. */
  ctx: CommandContext;
  /** The parsed body (a JSON value, the form's fields, or a `MultipartBody` whose files are spooled to disk and removed after the handler), when the spec has one. */
  body: unknown;
};

/** JSON response with the API's error shape: `{ error: { code, message, ... } }`. */
export function errorResponse(error: AppError, extra: Record<string, string> = {}): Response {
  const responseHeaders: Record<string, string> = { "Cache-Control": "no-store", ...extra };
  const retry = error.details.retryAfterSeconds;
  if ((error.code === "rate_limited" || error.code === "unavailable") && typeof retry === "number") responseHeaders["Retry-After"] = String(retry);
  if (error.code === "unauthorized") responseHeaders["WWW-Authenticate"] = 'Bearer realm="propagate"';
  return Response.json(errorBody(error), { status: error.status, headers: responseHeaders });
}

/**
 * The one edge of every route handler, in this order: the origin (a
 * state-changing request with cookies must come from this site; no header
 * skips this), then who is asking (a bearer token that is not valid is a 401
 * before the body is read), then the body's size (413) and syntax (400), then
 * the handler. Every failure is a JSON error; nothing internal is ever shown.
 * A multipart body streams (lib/edge/multipart.ts): its files are on disk
 * while the handler runs, and removed when it returns or throws.
 */
export function route<P = Record<string, never>>(spec: RouteSpec, handler: (req: RouteRequest<P>) => Promise<Response>) {
  return async (request: Request, context?: { params?: Promise<P> }): Promise<Response> => {
    try {
      const requestHeaders = await headers();
      const policy = originPolicy();
      const authorization = request.headers.get("authorization");
      const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : null;
      if (!SAFE_METHODS.has(request.method) && !spec.crossSite && bearer === null && !isSameOrigin(request.headers, policy)) {
        throw new AppError("forbidden:origin", "This request came from another site (or without an Origin header); nothing was changed.");
      }
      let actor: Actor = null;
      if (bearer !== null) {
        actor = await actorFromToken(getDb(), bearer);
        if (!actor) throw new AppError("unauthorized", "This API token is not valid (unknown, revoked, or its account is blocked).");
      } else if (!spec.crossSite && (spec.session || !SAFE_METHODS.has(request.method))) {
        actor = await currentActor();
      }
      if (spec.signedIn && !actor) throw new AppError("unauthorized", "Sign in (or send an API token) to do this.");
      const url = new URL(request.url);
      for (const [name, value] of url.searchParams) {
        const fault = findTextFault(value) ?? findTextFault(name);
        if (fault) throw new AppError("invalid:input", describeTextFault(`The query parameter ${name.slice(0, 40)}`, fault), { field: name.slice(0, 40) });
      }
      const body = spec.body ? await readBody(request, spec.body, spec.maxBytes ?? MAX_JSON_BYTES, spec.fileLimit) : undefined;
      try {
        const ctx: CommandContext = { db: getDb(), actor, ip: clientIp(requestHeaders), via: "api", siteOrigin: siteOrigin(request.headers, policy) };
        const params = ((await context?.params) ?? {}) as P;
        return await handler({ request, url, params, ctx, body });
      } finally {
        if (spec.body === "multipart") await disposeMultipart(body as MultipartBody);
      }
    } catch (error) {
      return errorResponse(toSafeError(error));
    }
  };
}

/** Read a body of at most `maxBytes` (413 beyond, before reading it all), and parse it. */
async function readBody(request: Request, kind: "json" | "form" | "multipart", maxBytes: number, fileLimit?: RouteSpec["fileLimit"]): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (kind === "json" && type !== "application/json") throw new AppError("unsupported:media_type", "Send the body as JSON (Content-Type: application/json).");
  if (kind === "form" && type !== "application/x-www-form-urlencoded") throw new AppError("unsupported:media_type", "Send the body as application/x-www-form-urlencoded.");
  if (kind === "multipart" && type !== "multipart/form-data") throw new AppError("unsupported:media_type", "Send the body as multipart/form-data.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  // Streamed: files go to disk as they arrive, each bounded by its type's limit.
  if (kind === "multipart") return readMultipart(request, contentType, { maxBytes, fileLimit });
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  if (kind === "form") return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("invalid:input", "The request body is not valid JSON.");
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("too_large", `The request body is too large (at most ${Math.floor(maxBytes / 1000).toLocaleString("en")} kB).`);
}

