import "server-only";
import { z } from "zod";
import { AppError, errorBody } from "@/lib/errors";
import { httpDate, isNotModified, strongEtag } from "@/lib/http/validators";
import { MAX_ID, parseId } from "@/lib/ids";

/** JSON response with the API's error shape: `{ error: { code, message, ... } }`. */
export function errorResponse(error: AppError, headers: Record<string, string> = {}): Response {
  const extra: Record<string, string> = { ...headers };
  const retry = error.details.retryAfterSeconds;
  if (error.code === "rate_limited" && typeof retry === "number") extra["Retry-After"] = String(retry);
  return Response.json(errorBody(error), { status: error.status, headers: { "Cache-Control": "no-store", ...extra } });
}

/**
 * Wrap a route handler: domain errors become their status with a JSON body;
 * anything unexpected is logged and answered with a plain 500 that reveals nothing.
 */
export function api<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error);
      console.error(error);
      return Response.json({ error: { code: "internal", message: "Something went wrong on the server; nothing was changed." } }, { status: 500 });
    }
  };
}

const MAX_BODY = 1_100_000;

/** Read and validate a JSON body (size-limited), or throw a 400/422 AppError with the reason. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new AppError("invalid:input", "Send the body as JSON (Content-Type: application/json).");
  const text = await request.text();
  if (text.length > MAX_BODY) throw new AppError("invalid:input", "The request body is too large.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid:input", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError("invalid:input", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** A positive integer query parameter, or undefined; a malformed one is a 400. */
export function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  if (parseId(raw) === null) throw new AppError("invalid:input", `${name} must be a whole number from 1 to ${MAX_ID}.`);
  return Number(raw);
}

/**
 * A response an HTTP cache may keep and revalidate: a strong ETag (given, or
 * from the body) and Last-Modified, answered with 304 when the client's copy
 * is current.
 */
export function revalidatable(
  request: Request,
  body: string,
  options: { contentType: string; cacheControl: string; lastModified?: Date; etag?: string },
): Response {
  const etag = options.etag ?? strongEtag(body);
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": options.cacheControl };
  if (options.lastModified) headers["Last-Modified"] = httpDate(options.lastModified);
  const current = { etag, ...(options.lastModified ? { lastModified: options.lastModified } : {}) };
  if (isNotModified(current, { ifNoneMatch: request.headers.get("if-none-match"), ifModifiedSince: request.headers.get("if-modified-since") })) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { headers: { ...headers, "Content-Type": options.contentType } });
}
