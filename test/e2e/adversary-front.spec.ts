/**
 * Findings of an adversarial pass over the front server (scripts/server.ts)
 * against the production build, on a wiki of this spec's own (it holds
 * hundreds of connections, which the shared e2e wiki cannot afford). Each
 * test names the behaviour that should hold; each failed when it was written.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let port: number;

beforeAll(async () => {
  const env: Record<string, string> = { AUTH_SECRET: "adversary-front-0123456789-0123456789-0123", TALK_GUEST_POSTING: "on" };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase("propagate_adv_front", { migrate: false });
    env.DATABASE_URL = database.url;
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "propagate-adv-front-"));
    env.PROPAGATE_DATA_DIR = dataDir;
  }
  // The shared e2e setup has built the wiki already.
  app = await startApp(env, "/api/health", 120_000, ["--no-build"]);
  port = Number(new URL(app.base).port);
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const held: Socket[] = [];
afterEach(() => {
  for (const socket of held.splice(0)) socket.destroy();
});

/** A raw connection to the front that has sent `head` (and keeps quiet after it). */
function open(head: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(head);
      resolve(socket);
    });
    socket.on("error", reject);
    held.push(socket);
  });
}

/** Everything the front sends on a connection until it closes it (or `timeoutMs`). */
function readAll(socket: Socket, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const timer = setTimeout(() => resolve(text), timeoutMs);
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

const get = (url: string, timeoutMs = 2_000) => fetch(app.base + url, { signal: AbortSignal.timeout(timeoutMs) });

describe("slow clients cannot take the front's connections to the application", () => {
  it("300 clients that send a POST's headers and then nothing leave /api/health, uncached pages and writes answering", async () => {
    // Before: the front streamed each body to the application as it came, holding one of its 256
    // connections per slow client; the rest queued behind them, /api/health's own check included,
    // so after 3 s the wiki reported itself down (503) and no uncached page answered at all.
    for (let i = 0; i < 300; i++) {
      await open(`POST /api/pages/Adoption/talk HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"title":`);
    }
    // Past the 3 s for which the front counts the application's last health answer.
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      const health = await get("/api/health", 1_000);
      expect(health.status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
    }
    const uncached = await get("/wiki/Adoption/history", 15_000);
    expect(uncached.status).toBe(200);
    expect(uncached.headers.get("x-page-cache")).not.toBe("hit");
    const post = await fetch(`${app.base}/api/pages/Adoption/talk`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: app.base },
      body: JSON.stringify({ title: "Slow clients", body: "Does this page answer while others are slow?", guestName: "Guest" }),
      signal: AbortSignal.timeout(15_000),
    });
    expect(post.status).toBe(201);
    expect((await post.json()) as { thread: { title: string } }).toMatchObject({ thread: { title: "Slow clients" } });
  }, 60_000);

  it("a GET that announces a body is answered 400 at once and its connection closed, however large the body claims to be", async () => {
    // Before: the front passed such a GET on with its body, unbounded (MAX_REQUEST_BYTES covers
    // only methods with a body), holding a connection to the application while the client trickled it.
    const socket = await open(`GET /wiki/Adoption/history HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 10000000000\r\n\r\nabc`);
    const text = await readAll(socket, 5_000);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"A GET request has no body."');
    expect(socket.destroyed || socket.readableEnded).toBe(true);
  });
});

describe("made-up query values cannot fill the page cache with copies", () => {
  /** Ask twice: whether the second answer came from the cache. */
  async function keptAfterTwoReads(url: string): Promise<{ status: number; second: string | null }> {
    const first = await get(url, 30_000);
    await first.text();
    const again = await get(url, 30_000);
    await again.text();
    return { status: again.status, second: again.headers.get("x-page-cache") };
  }

  it("an error page for a revision id no revision has, and spellings the wiki's links never use, are answered but not kept", async () => {
    // Before: each was stored under a key of its own (any number is a new address), so a loop
    // of them pushed every popular page out of the cache. The diff's error came with a 200.
    // The JSON API's reads are shed while the application is busy (a loaded test machine): ask again.
    let latest = 0;
    for (let attempt = 0; attempt < 30 && !latest; attempt++) {
      const res = await get("/api/pages/Adoption", 10_000);
      if (res.ok) latest = ((await res.json()) as { revision: { id: number } }).revision.id;
      else await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(latest).toBeGreaterThan(0);
    for (const url of [
      `/wiki/Adoption/diff?from=999999&to=${latest}`,
      `/wiki/Adoption/diff?from=0${latest}&to=${latest}`,
      `/wiki/Adoption/diff?to=${latest}&view=sideways`,
      `/wiki/Adoption?rev=${latest}&rev=${latest}`,
      "/wiki/Adoption?merged=yes",
      "/wiki/Adoption?redirectedfrom=not%20a%20slug",
      "/wiki/Adoption/history?before=abc",
      "/?tag=Garden",
    ]) {
      const { second } = await keptAfterTwoReads(url);
      expect(second, url).not.toBe("hit");
    }
    // The spellings the wiki writes itself are still kept.
    expect((await keptAfterTwoReads(`/wiki/Adoption?rev=${latest}`)).second).toBe("hit");
    expect((await keptAfterTwoReads("/wiki/Adoption/history")).second).toBe("hit");
  }, 60_000);
});
