import type { IncomingMessage, ServerResponse } from "node:http";

/** Headers every response carries, whichever part of the server answers it. */
export const BASELINE_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
};

/** Methods that never carry a body here: one that claims to is refused (see refuseOversizedBody). */
const BODYLESS = new Set(["GET", "HEAD"]);
/** The methods the wiki answers; Next.js fails others (TRACE, CONNECT…) with a 500. */
const METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST"]);

/** Answer 405 to a method the wiki does not use. Returns true when it answered. */
export function refuseUnknownMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (METHODS.has(req.method ?? "GET")) return false;
  answer(res, 405, "method_not_allowed", `${(req.method ?? "").slice(0, 20)} is not a method this wiki answers.`, { Allow: [...METHODS].join(", ") });
  discard(req, 1_000_000);
  return true;
}

/**
 * The first gate of every request, before Next.js reads a byte of its body:
 * a body larger than `maxBytes` is answered 413 (server actions included,
 * which Next.js would otherwise fail with a 500), and a body of unknown
 * length (chunked) is answered 411, since its size could not be bounded
 * without reading it. A GET or HEAD with a body is answered 400 and its
 * connection closed: no route reads one, and the front would otherwise pass
 * it on unbounded, holding a connection to the application while it lasts.
 * Returns true when it answered.
 */
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  const declared = req.headers["content-length"];
  if (BODYLESS.has(req.method ?? "GET")) {
    if (req.headers["transfer-encoding"] === undefined && (declared === undefined || declared === "0")) return false;
    answer(res, 400, "invalid:input", `A ${req.method} request has no body.`, { Connection: "close" });
    discard(req, 0);
    return true;
  }
  if (declared === undefined) {
    if (!req.headers["transfer-encoding"]) return false;
    answer(res, 411, "length_required", "Send the request body with a Content-Length header.");
    return true;
  }
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length < 0) {
    answer(res, 400, "invalid:input", "The Content-Length header is not a number.");
    return true;
  }
  if (length <= maxBytes) return false;
  answer(res, 413, "too_large", `The request body is too large (at most ${Math.floor(maxBytes / 1000).toLocaleString("en")} kB); nothing was changed.`);
  discard(req, maxBytes * 4);
  return true;
}

/**
 * Read and drop what the client is still sending, so that it can read the
 * answer (a client that is cut off mid-body sees a broken pipe, not the 413);
 * past `limit` bytes the connection is closed.
 */
function discard(req: IncomingMessage, limit: number): void {
  let seen = 0;
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  req.resume();
}

function answer(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { ...BASELINE_HEADERS, ...extra, "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
