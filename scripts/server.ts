// The production HTTP server: Next.js behind a thin Node server that
//  - records the client's real address: rate limits key on X-Forwarded-For's
//    last hop, so a header sent by the client must not be trusted unless a
//    reverse proxy we run sets it (TRUST_PROXY=on); otherwise the socket
//    address replaces it;
//  - answers anonymous page reads from the page cache (lib/http/page-cache.ts)
//    and fills it from Next.js's responses.
// Bundled to .build/server.mjs by scripts/build-worker.ts; started by scripts/start.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import zlib from "node:zlib";
import next from "next";
import postgres from "postgres";
import { env } from "../lib/env";
import { PAGE_CACHE_KEY } from "../lib/http/page-cache-key";
import { listenForPurges } from "../lib/http/purge-listener";
import { MAX_REQUEST_BYTES } from "../lib/edge/limits";
import { LoadShedder, shedUnderLoad } from "../lib/http/load-shedder";
import { BASELINE_HEADERS, refuseOversizedBody, refuseUnknownMethod } from "../lib/http/request-guard";
import { compress, MAX_ENTRY_BYTES, mayFill, PageCache, planRequest, prepareEntry, replyFromCache, type CachePlan } from "../lib/http/page-cache";

const config = env();
const port = config.PORT;
const dev = process.argv.includes("--dev");
const trustProxy = config.TRUST_PROXY === "on";
const cacheMiB = config.PAGE_CACHE_MB;
const app = next({ dev, dir: process.cwd(), port, hostname: "0.0.0.0" });
const handle = app.getRequestHandler();
await app.prepare();

// Development renders every request (pages change under the developer's hands).
const cache = dev || cacheMiB <= 0 ? null : new PageCache({ maxBytes: cacheMiB * 2 ** 20 });
if (cache) {
  (globalThis as Record<symbol, unknown>)[PAGE_CACHE_KEY] = cache;
  // Purges announced by other processes on the same database. Embedded PGlite serves one
  // connection, which the app holds, and no other process can open it while the wiki runs.
  if (config.DATABASE_URL && config.PROPAGATE_DB_MODE !== "embedded") {
    await listenForPurges(postgres(config.DATABASE_URL, { max: 1, onnotice: () => {}, connection: { application_name: "propagate-purges" } }), cache);
  }
}

// Load shedding: while the event loop lags, refuse what is expensive so that cached pages and
// the health check keep answering (lib/http/load-shedder.ts).
const shedder = new LoadShedder();
setInterval(() => shedder.tick(), 250).unref();

const server = createServer((req, res) => {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  const forwarded = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = trustProxy && forwarded ? `${forwarded}, ${socketAddress}` : socketAddress;
  if (refuseUnknownMethod(req, res) || refuseOversizedBody(req, res, MAX_REQUEST_BYTES)) return;

  const plan = cache ? planRequest(req.method, req.url, req.headers) : null;
  if (cache && plan) {
    const entry = cache.get(plan.key);
    if (entry) {
      const reply = replyFromCache(entry, req.method, req.headers, Date.now());
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? undefined);
      return;
    }
  }
  // A cached page carries the baseline headers it was stored with; everything else gets them here.
  for (const name in BASELINE_HEADERS) res.setHeader(name, BASELINE_HEADERS[name]!);
  if (shedder.overloaded() && shedUnderLoad(req.method, req.url)) {
    const body = JSON.stringify({ error: { code: "unavailable", message: "The wiki is very busy right now; try again in a few seconds." } });
    res.writeHead(503, { "Content-Type": "application/json", "Cache-Control": "no-store", "Retry-After": String(shedder.retryAfterSeconds()), "Content-Length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (cache && plan && req.method === "GET" && mayFill(plan, req.url!)) fill(cache, plan, req, res);
  void handle(req, res);
});

/**
 * Let Next.js answer this reader as usual while keeping a copy of what it
 * sends; store the copy when the response finishes, if it may be shared.
 * The copy is identity-encoded (compressed variants are made when storing).
 */
function fill(cache: PageCache, plan: CachePlan, req: IncomingMessage, res: ServerResponse): void {
  const ticket = cache.beginFill(plan.tags);
  const startedAt = Date.now();
  // The reader who caused the miss gets Next.js's compression; the copy is decompressed to store it.
  res.setHeader("X-Page-Cache", "miss");
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function" || size > MAX_ENTRY_BYTES) return;
    const buffer =
      typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : chunk instanceof Uint8Array ? Buffer.from(chunk) : null;
    if (!buffer) return;
    size += buffer.length;
    // Too big to keep: stop copying (prepareEntry refuses it anyway).
    if (size > MAX_ENTRY_BYTES) chunks.length = 0;
    else chunks.push(buffer);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  res.on("finish", () => {
    if (size > MAX_ENTRY_BYTES) return;
    const headers = res.getHeaders();
    const captured = Buffer.concat(chunks);
    // Stored at once (the next reader is a hit); decoding at most MAX_ENTRY_BYTES takes a few ms.
    const body = identityOf(captured, headers["content-encoding"]);
    if (!body) return;
    const { "content-encoding": _coding, "content-length": _length, ...identityHeaders } = headers;
    const entry = prepareEntry({ statusCode: res.statusCode, headers: identityHeaders, body }, plan, startedAt);
    if (entry && cache.store(plan.key, ticket, entry)) {
      compress(entry).catch((error: unknown) => console.error("page cache: compression failed", error));
    }
  });
}

/** The identity bytes of a captured body in a content coding (null: unknown coding, or too big to keep). */
function identityOf(body: Buffer, coding: unknown): Buffer | null {
  const options = { maxOutputLength: MAX_ENTRY_BYTES };
  try {
    if (coding === undefined || coding === "identity") return body;
    if (coding === "gzip") return zlib.gunzipSync(body, options);
    if (coding === "br") return zlib.brotliDecompressSync(body, options);
    if (coding === "deflate") return zlib.inflateSync(body, options);
    return null;
  } catch {
    return null; // over MAX_ENTRY_BYTES once decoded, or corrupt
  }
}

server.listen(port, () => console.log(`✓ Propagate ready on http://localhost:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
