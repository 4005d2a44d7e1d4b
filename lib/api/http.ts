import "server-only";
import { route } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { httpDate, isNotModified, strongEtag } from "@/lib/http/validators";
import { MAX_ID, parseId } from "@/lib/ids";

export { errorResponse } from "@/lib/edge/route";

/**
 * A read-only route handler with the edge's checks (query text, bearer
 * tokens) and its error shape: `(request, { params })` as Next.js calls it.
 */
export function api<P>(handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>) {
  return route<P>({}, ({ request, params }) => handler(request, { params: Promise.resolve(params) }));
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
  options: { contentType: string; cacheControl: string; lastModified?: Date; etag?: string; vary?: string | null },
): Response {
  const etag = options.etag ?? strongEtag(body);
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": options.cacheControl };
  if (options.vary) headers.Vary = options.vary;
  if (options.lastModified) headers["Last-Modified"] = httpDate(options.lastModified);
  const current = { etag, ...(options.lastModified ? { lastModified: options.lastModified } : {}) };
  if (isNotModified(current, { ifNoneMatch: request.headers.get("if-none-match"), ifModifiedSince: request.headers.get("if-modified-since") })) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { headers: { ...headers, "Content-Type": options.contentType } });
}
