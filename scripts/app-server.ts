// The application server: Next.js on a private Unix socket, behind the front
// server (scripts/server.ts), which forks it and talks to it over IPC
// (lib/http/app-link.ts). Only the front can reach the socket (it lies in a
// directory of mode 0700), so the X-Forwarded-For it sets is the client's.
// Bundled to .build/app-server.mjs by scripts/build-worker.ts.
import { createServer } from "node:http";
import next from "next";
import { env } from "../lib/env";
import { LOAD_INTERVAL_MS, readFrontMessage, type AppMessage } from "../lib/http/app-link";
import { LoadShedder } from "../lib/http/load-shedder";
import { ALL_MEDIA_TAG, MEDIA_TAG_PREFIX, PAGE_CACHE_KEY, type PagePurger } from "../lib/http/page-cache-key";
import { forgetAllMedia, forgetBlob } from "../lib/media/media-cache";
import { BASELINE_HEADERS } from "../lib/http/request-guard";
import { getDb } from "../lib/db/client";
import { startMailLoop } from "../lib/mail/mail-loop";
import { configuredTransport } from "../lib/mail/transport";
import { resolvePasswordResetRequests } from "../lib/users/account-mail";
import { lowerOwnPriority } from "../lib/workers/priority";

// Below the front, every thread and this session's group (lib/workers/priority.ts); the workers it starts inherit both.
lowerOwnPriority(Number(process.env.PROPAGATE_APP_NICE ?? "0") || 0, Number(process.env.PROPAGATE_APP_GROUP_NICE ?? process.env.PROPAGATE_APP_NICE ?? "0") || 0);

const socketPath = process.env.PROPAGATE_APP_SOCKET;
if (!socketPath || !process.send) {
  console.error("app-server: start it through the front server (scripts/server.ts), which gives it a socket and an IPC channel.");
  process.exit(2);
}
const send = (message: AppMessage) => {
  if (process.connected) process.send!(message);
};

const config = env();
const dev = process.argv.includes("--dev");
const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: "0.0.0.0" });
const handle = app.getRequestHandler();
await app.prepare();

// The page cache lives in the front: the domain's purges (lib/http/purge.ts) go there.
const purger: PagePurger = {
  purgeTags(tags) {
    send({ type: "purge", purge: { tags: [...tags] } });
    return tags.length;
  },
  purgeAll() {
    send({ type: "purge", purge: { all: true } });
    return 0;
  },
};
(globalThis as Record<symbol, unknown>)[PAGE_CACHE_KEY] = purger;

process.on("message", (value) => {
  const message = readFrontMessage(value);
  if (message?.type === "sync") send({ type: "synced", id: message.id });
  // A file hidden on another server: this process's copies of it go too (lib/media/media-cache.ts).
  else if (message?.type === "forget-media") {
    for (const tag of message.tags) {
      if (tag === ALL_MEDIA_TAG) forgetAllMedia();
      else if (tag.startsWith(MEDIA_TAG_PREFIX)) forgetBlob(tag.slice(MEDIA_TAG_PREFIX.length));
    }
  }
});
// The front is gone (it owns this process's lifetime): stop too.
process.on("disconnect", () => process.exit(0));

// This loop's delay, for the front's load shedding (lib/http/load-shedder.ts).
const shedder = new LoadShedder({ intervalMs: LOAD_INTERVAL_MS });
setInterval(() => {
  shedder.tick();
  send({ type: "load", overloaded: shedder.overloaded(), retryAfterSeconds: shedder.retryAfterSeconds(), delayMs: shedder.delayMs() });
}, LOAD_INTERVAL_MS).unref();

const server = createServer((req, res) => {
  for (const name in BASELINE_HEADERS) res.setHeader(name, BASELINE_HEADERS[name]!);
  void handle(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(socketPath, () => send({ type: "ready" }));

// Mail (lib/mail): the outbox is sent from here, after the commits that filled it; a failed send never reaches a request.
startMailLoop({ db: getDb(), transport: configuredTransport(), prepare: [resolvePasswordResetRequests] });
