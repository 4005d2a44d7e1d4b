// The front server: the wiki's public port. It
//  - records the client's real address: rate limits key on X-Forwarded-For's
//    last hop, so a header sent by the client must not be trusted unless a
//    reverse proxy we run sets it (TRUST_PROXY=on); otherwise the socket
//    address replaces it;
//  - refuses what no one may send (405, 411, 413) before a byte of a body is read;
//  - answers anonymous page reads from the page cache (lib/http/page-cache.ts)
//    and /api/health from the application's latest answer;
//  - passes everything else to the application server (scripts/app-server.ts:
//    Next.js, which it forks, on a private Unix socket), sheds expensive reads
//    while the application is overloaded, and fills the cache from its answers.
// Why two processes: see lib/http/app-link.ts. Bundled to .build/server.mjs by
// scripts/build-worker.ts; started by scripts/start.ts.
import { fork } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";
import postgres from "postgres";
import { env } from "../lib/env";
import { HEAP_FLAGS } from "../lib/node-flags";
import { AppLoad, HEALTH_INTERVAL_MS, HealthSnapshot, readAppMessage, type FrontMessage } from "../lib/http/app-link";
import { answerHeaders, forwardedHeaders, HOP_BY_HOP } from "../lib/http/proxy-headers";
import { listenForPurges } from "../lib/http/purge-listener";
import { MAX_REQUEST_BYTES } from "../lib/edge/limits";
import { maxUploadRequestBytes, UPLOAD_PATH } from "../lib/media/limits";
import { shedUnderLoad } from "../lib/http/load-shedder";
import { etagMatches, frontPurger, MediaCache, mediaCacheKey } from "../lib/http/media-cache";
import { BodyBudget, hasBody, readBody, SharedBudget, spoolBody } from "../lib/http/request-body";
import { BASELINE_HEADERS, refuseOversizedBody, refuseUnknownMethod } from "../lib/http/request-guard";
import { compress, MAX_ENTRY_BYTES, mayFill, PageCache, planRequest, prepareEntry, replyFromCache, type CachePlan } from "../lib/http/page-cache";

const config = env();
const port = config.PORT;
const dev = process.argv.includes("--dev");
const trustProxy = config.TRUST_PROXY === "on";
const cacheMiB = config.PAGE_CACHE_MB;

// Development renders every request (pages change under the developer's hands).
const cache = dev || cacheMiB <= 0 ? null : new PageCache({ maxBytes: cacheMiB * 2 ** 20 });
// Recently served files (/media/…: immutable), answered here without the application (lib/http/media-cache.ts).
const mediaCache = dev || cacheMiB <= 0 ? null : new MediaCache({ maxBytes: 64 * 2 ** 20 });
// The application server, on a socket in a directory only this user can enter.
const socketDir = mkdtempSync(path.join(tmpdir(), "propagate-"));
const socketPath = path.join(socketDir, "app.sock");
const here = path.dirname(new URL(import.meta.url).pathname);
// The application runs below this process's priority: on a busy machine the CPU goes first to
// cache hits and /api/health, which take little of it (its worker processes go lower still). In a
// session of its own (detached), which it lowers as a whole (lib/workers/priority.ts): with the
// kernel's autogroups, a session is charged for all its processes' CPU, and the front must not be
// charged for the application's. It still ends with this process (its IPC channel closes).
const APP_NICE_STEP = 5;
// The session's group goes lower than its threads: the group competes with other sessions (PostgreSQL's,
// an operator's script) as one, and the front's cache hits come first. 15 against 5 or 10 in the hostile
// bench (docs/performance.md): the readers' p99 beside the mix about 7.5-9.5 ms, against 7-71 ms.
const APP_GROUP_NICE_STEP = 15;
const app = fork(path.join(here, "app-server.mjs"), dev ? ["--dev"] : [], {
  env: { ...process.env, PROPAGATE_APP_SOCKET: socketPath, PROPAGATE_APP_NICE: String(APP_NICE_STEP), PROPAGATE_APP_GROUP_NICE: process.env.PROPAGATE_APP_GROUP_NICE || String(APP_GROUP_NICE_STEP) },
  // The same Node.js options as this process (a CPU profile, when start.ts asks for one), and a heap that
  // collects before it grows far past what it holds (lib/node-flags.ts).
  execArgv: [...process.execArgv, ...HEAP_FLAGS],
  stdio: ["inherit", "inherit", "inherit", "ipc"],
  detached: true,
});
const load = new AppLoad();
const pendingSyncs = new Map<number, () => void>();
let nextSync = 1;
const appReady = new Promise<void>((resolve, reject) => {
  app.on("message", (value) => {
    const message = readAppMessage(value);
    if (!message) return;
    if (message.type === "ready") resolve();
    else if (message.type === "load") load.report(message);
    else if (message.type === "synced") {
      pendingSyncs.get(message.id)?.();
      pendingSyncs.delete(message.id);
    } else if (message.type === "purge") {
      // The application's own purges: it has forgotten its copies of hidden files already.
      if ("all" in message.purge) {
        cache?.purgeAll();
        mediaCache?.purgeAll();
      } else {
        cache?.purgeTags(message.purge.tags);
        mediaCache?.purgeTags(message.purge.tags);
      }
    }
  });
  app.once("exit", (code) => reject(new Error(`the application server exited (${code}) before it was ready`)));
});
function cleanUp() {
  rmSync(socketDir, { recursive: true, force: true });
}
// The application is this process's other half: if it ends, so does the wiki (start.ts reports it).
app.on("exit", (code, signal) => {
  cleanUp();
  if (!stopping) {
    console.error(`The application server stopped (${signal ?? `exit code ${code}`}).`);
    process.exit(code || 1);
  }
});

/** Wait until the application has applied everything it announced so far (see lib/http/app-link.ts). */
function sync(): Promise<void> {
  if (!app.connected) return Promise.resolve();
  const id = nextSync++;
  return new Promise((resolve) => {
    pendingSyncs.set(id, resolve);
    app.send({ type: "sync", id } satisfies FrontMessage);
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
// The health check has a connection of its own: however many requests wait for one of `agent`'s,
// /api/health says whether the application answers, not whether the front's pool has room.
const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
// Request bodies are read whole before they are passed on (lib/http/request-body.ts); this many
// bytes of them at once (about 85 bodies of the largest size), past which a write is answered 503.
const bodyBudget = new BodyBudget(128 * 2 ** 20);
// Uploads (POST /api/files) may be far larger than any other body: they have a limit and a
// budget of their own (two of the largest at once), so a few uploads never crowd out edits.
// They are read into temporary files, not memory (spoolBody): this budget is bytes on disk.
const maxUploadBytes = maxUploadRequestBytes(config);
// One client (an address) holds at most one largest upload's worth of it at once: its stalled uploads
// (held until the request timeout) cannot spend it all and leave everyone else's answered 503.
const uploadBudget = new SharedBudget(new BodyBudget(Math.max(256 * 2 ** 20, 2 * maxUploadBytes)), maxUploadBytes);
/** The address a request comes from, as the edge sees it: the proxy's last entry when it is trusted (the header is ours by now: `…, socket`). */
const clientOf = (req: IncomingMessage) => {
  const entries = String(req.headers["x-forwarded-for"] ?? "").split(",");
  return (trustProxy && entries.length > 1 ? entries.at(-2) : entries.at(-1))?.trim() || "unknown";
};
const isUpload = (req: IncomingMessage) => req.method === "POST" && req.url?.split("?")[0] === UPLOAD_PATH;

// /api/health: the application's own answer, asked every second (lib/http/app-link.ts).
const health = new HealthSnapshot();
let firstHealth: () => void = () => {};
function askHealth(): void {
  const started = Date.now();
  const ask = request({ socketPath, path: "/api/health", method: "GET", agent: healthAgent, headers: { host: `localhost:${port}`, "x-forwarded-for": "127.0.0.1" }, timeout: 10_000 }, (res) => {
    const chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => {
      health.record({ status: res.statusCode ?? 503, body: Buffer.concat(chunks).toString("utf8") });
      firstHealth();
      setTimeout(askHealth, Math.max(0, HEALTH_INTERVAL_MS - (Date.now() - started))).unref();
    });
  });
  ask.on("timeout", () => ask.destroy(new Error("timeout")));
  ask.on("error", () => setTimeout(askHealth, HEALTH_INTERVAL_MS).unref());
  ask.end();
}

function answerJson(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASELINE_HEADERS, ...extra, "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  const forwarded = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = trustProxy && forwarded ? `${forwarded}, ${socketAddress}` : socketAddress;
  if (refuseUnknownMethod(req, res) || refuseOversizedBody(req, res, isUpload(req) ? maxUploadBytes : MAX_REQUEST_BYTES)) return;
  serve(req, res, false);
});
// A request's headers and body must arrive within two minutes (Node's default is five): a slow
// client holds its own socket and the bytes it has sent, and not for long.
server.requestTimeout = 120_000;

/** The misses being filled, each with the readers waiting for it. */
const fills = new Map<string, (() => void)[]>();
/** The longest a reader waits for another reader's fill of the same address. */
const FILL_WAIT_MS = 3_000;

function serve(req: IncomingMessage, res: ServerResponse, waited: boolean): void {
  const mediaAsk = mediaCache ? mediaCacheKey(req.method, req.url, req.headers) : null;
  if (mediaCache && mediaAsk) {
    const entry = mediaCache.get(mediaAsk.key);
    if (!entry) {
      pass(req, res, null, undefined, mediaAsk.key);
      return;
    }
    const headers = mediaCache.headersFor(entry, mediaAsk);
    if (etagMatches(req.headers["if-none-match"] as string | undefined, entry.etag)) {
      const kept: string[] = [];
      for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() !== "content-length") kept.push(headers[i]!, headers[i + 1]!);
      res.writeHead(304, kept);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : entry.body);
    return;
  }
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
  if ((req.method === "GET" || req.method === "HEAD") && req.url?.split("?")[0] === "/api/health") {
    const answer = health.answer();
    res.writeHead(answer.status, { ...BASELINE_HEADERS, "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(answer.body) });
    res.end(req.method === "HEAD" ? undefined : answer.body);
    return;
  }
  if (load.overloaded() && shedUnderLoad(req.method, req.url)) {
    const body = JSON.stringify({ error: { code: "unavailable", message: "The wiki is very busy right now; try again in a few seconds." } });
    answerJson(res, 503, body, { "Retry-After": String(load.retryAfterSeconds()) });
    return;
  }
  if (!cache || !plan || req.method !== "GET" || !mayFill(plan, req.url!)) {
    pass(req, res, null);
    return;
  }
  // Collapsed forwarding: while one reader's miss fills this entry, the others wait for it
  // (after a purge of a busy page, one render instead of one per reader), then read it
  // again; if it was not stored, each goes to the application once.
  const waiting = fills.get(plan.key);
  if (waiting && !waited) {
    // At most FILL_WAIT_MS: the fill goes at its reader's pace, and a reader who stops reading
    // must not hold everyone else (past it, each waiter asks the application itself).
    let resumed = false;
    const resume = () => {
      if (resumed) return;
      resumed = true;
      clearTimeout(timer);
      if (!res.destroyed) serve(req, res, true);
    };
    const timer = setTimeout(resume, FILL_WAIT_MS);
    waiting.push(resume);
    return;
  }
  if (waiting) {
    pass(req, res, null);
    return;
  }
  fills.set(plan.key, []);
  pass(req, res, plan, () => {
    const waiters = fills.get(plan.key) ?? [];
    fills.delete(plan.key);
    for (const resume of waiters) resume();
  });
}

/**
 * Pass a request to the application and its answer back: a body is read
 * whole first (lib/http/request-body.ts), so that no connection to the
 * application waits on a slow client; the answer streams. With a plan, keep a copy of the answer and store it in the cache when
 * it is complete, if it may be shared (the reader who caused the miss gets
 * the application's compression; the copy is decoded to store it).
 */
function pass(req: IncomingMessage, res: ServerResponse, plan: CachePlan | null, filled: () => void = () => {}, mediaKey: string | null = null): void {
  if (!hasBody(req)) {
    forward(req, res, null, plan, filled, mediaKey);
    return;
  }
  // The body first, then a connection to the application (lib/http/request-body.ts).
  void (isUpload(req) ? spoolBody(req, uploadBudget.for(clientOf(req))) : readBody(req, bodyBudget)).then((read) => {
    if (read.ok) {
      res.once("close", read.release);
      forward(req, res, "body" in read ? read.body : createReadStream(read.path), plan, filled);
      return;
    }
    filled();
    if (read.reason === "busy" && !res.headersSent) {
      const body = JSON.stringify({ error: { code: "unavailable", message: "The wiki is receiving too much at once; nothing was changed. Try again in a few seconds." } });
      answerJson(res, 503, body, { "Retry-After": "2", Connection: "close" });
    }
  });
}

function forward(req: IncomingMessage, res: ServerResponse, body: Buffer | Readable | null, plan: CachePlan | null, filled: () => void, mediaKey: string | null = null): void {
  const ticket = plan && cache ? cache.beginFill(plan.tags) : null;
  // Taken before the application reads the file: a purge heard meanwhile stops its answer being kept.
  const mediaTicket = mediaKey && mediaCache ? mediaCache.beginFill() : 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    filled();
  };
  const startedAt = Date.now();
  // The body is whole: the application has nothing to ask the client to continue.
  const { expect: _expect, ...headers } = forwardedHeaders(req.headers);
  const upstream = request({ socketPath, method: req.method, path: req.url, headers, agent }, (answer) => {
    const write = () => {
      const headers = answerHeaders(answer.rawHeaders);
      if (plan) headers.push("X-Page-Cache", "miss");
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      if (plan && ticket) {
        // The reader's answer ends once the copy is stored, so that their next request is a hit.
        answer.pipe(res, { end: false });
        keepCopy(answer, plan, ticket, startedAt, (complete) => {
          // A cut-off answer must not look whole to the reader.
          if (complete) res.end();
          else res.destroy();
          finish();
        });
      } else {
        if (mediaKey && req.method === "GET") mediaCache?.keep(mediaKey, answer, mediaTicket);
        answer.pipe(res);
        finish();
      }
    };
    // The answer to a write: every purge it announced is applied before the writer can read again.
    if (req.method === "GET" || req.method === "HEAD") write();
    else void sync().then(write);
  });
  upstream.on("error", () => {
    finish();
    if (!res.headersSent) answerJson(res, 502, JSON.stringify({ error: { code: "unavailable", message: "The wiki could not answer this request; try again in a few seconds." } }), { "Retry-After": "2" });
    else res.destroy();
  });
  // A reader who leaves: the application stops working for them.
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
    finish();
  });
  if (body instanceof Readable) {
    // An upload's file: streamed from disk at the speed the application reads it.
    body.on("error", () => upstream.destroy());
    upstream.on("close", () => body.destroy());
    body.pipe(upstream);
  } else upstream.end(body ?? undefined);
}

const gunzip = promisify(zlib.gunzip);
const brotliDecompress = promisify(zlib.brotliDecompress);
const inflate = promisify(zlib.inflate);

/** Copy an answer as it streams past; store it in the cache once complete, if it qualifies. */
function keepCopy(answer: IncomingMessage, plan: CachePlan, ticket: ReturnType<PageCache["beginFill"]>, startedAt: number, done: (complete: boolean) => void): void {
  let called = false;
  const stored = (complete = true) => {
    if (called) return;
    called = true;
    done(complete);
  };
  const chunks: Buffer[] = [];
  let size = 0;
  answer.on("data", (chunk: Buffer) => {
    if (size > MAX_ENTRY_BYTES) return;
    size += chunk.length;
    // Too big to keep: stop copying (prepareEntry refuses it anyway).
    if (size > MAX_ENTRY_BYTES) chunks.length = 0;
    else chunks.push(chunk);
  });
  answer.on("close", () => {
    if (!answer.complete) stored(false);
  });
  answer.on("end", () => {
    if (size > MAX_ENTRY_BYTES || !answer.complete) return stored(answer.complete);
    const { "content-encoding": coding, "content-length": _length, ...identityHeaders } = answer.headers;
    for (const name of HOP_BY_HOP) delete identityHeaders[name];
    void identityOf(Buffer.concat(chunks), coding)
      .then((body) => {
        if (!body || !cache) return;
        const entry = prepareEntry({ statusCode: answer.statusCode ?? 0, headers: identityHeaders, body }, plan, startedAt);
        if (entry && cache.store(plan.key, ticket, entry)) {
          compress(entry).catch((error: unknown) => console.error("page cache: compression failed", error));
        }
      })
      .finally(() => stored());
  });
}

/** The identity bytes of a captured body in a content coding, decoded off the main thread (null: unknown coding, or too big to keep). */
async function identityOf(body: Buffer, coding: unknown): Promise<Buffer | null> {
  const options = { maxOutputLength: MAX_ENTRY_BYTES };
  try {
    if (coding === undefined || coding === "identity") return body;
    if (coding === "gzip") return await gunzip(body, options);
    if (coding === "br") return await brotliDecompress(body, options);
    if (coding === "deflate") return await inflate(body, options);
    return null;
  } catch {
    return null; // over MAX_ENTRY_BYTES once decoded, or corrupt
  }
}

let stopping = false;
function stop(signal: NodeJS.Signals) {
  stopping = true;
  server.close();
  app.kill(signal);
  app.once("exit", () => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));

try {
  await appReady;
} catch (error) {
  console.error((error as Error).message);
  cleanUp();
  process.exit(1);
}
// A file a moderator hid (a `media:<sha256>` tag) leaves this front's media cache and the application's.
const purger = frontPurger({
  pages: cache,
  media: mediaCache,
  // Resolves once the application has forgotten them: IPC keeps order, so its answer to the sync after comes after.
  forgetInApp: (tags) => {
    if (!app.connected) return Promise.resolve();
    app.send({ type: "forget-media", tags } satisfies FrontMessage);
    return sync();
  },
});
// Purges announced by other processes on the same database (other servers, `npm run admin`,
// `npm run seed`), the embedded one too: its server copies every NOTIFY to every client.
// Without a page cache too: the application keeps copies of files, which a hide on another server must reach.
if (config.DATABASE_URL) {
  await listenForPurges(postgres(config.DATABASE_URL, { max: 1, onnotice: () => {}, connection: { application_name: "propagate-purges" } }), purger);
}

// Open the port once /api/health has an answer to give.
await new Promise<void>((resolve) => {
  firstHealth = resolve;
  askHealth();
});
server.listen(port, () => console.log(`✓ Propagate ready on http://localhost:${port}`));
