import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEAP_FLAGS } from "@/lib/node-flags";
import { autogroupNice } from "@/lib/workers/priority";
import { findDescendant, startApp } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// The two server processes (scripts/server.ts in front, scripts/app-server.ts
// with Next.js behind it; lib/http/app-link.ts), seen from outside on a wiki of
// this spec's own: it freezes and kills the application server, which the
// shared e2e wiki cannot afford.
let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let appPid: number;

beforeAll(async () => {
  // The default scheduling (the shared e2e wiki turns the group's lowering off).
  const env: Record<string, string> = { AUTH_SECRET: "front-secret-0123456789-0123456789-0123456789", PROPAGATE_APP_GROUP_NICE: "" };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase("propagate_front", { migrate: false });
    env.DATABASE_URL = database.url;
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "propagate-front-"));
    env.PROPAGATE_DATA_DIR = dataDir;
  }
  // The shared e2e setup has built the wiki already.
  app = await startApp(env, "/api/health", 120_000, ["--no-build"]);
  const pid = findDescendant(app.child.pid!, "app-server.mjs");
  if (!pid) throw new Error("no application server process under npm start");
  appPid = pid;
}, 180_000);

afterAll(async () => {
  if (appPid) {
    try {
      process.kill(appPid, "SIGCONT");
    } catch {}
  }
  await app?.stop();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, timeoutMs = 2_000) => fetch(app.base + url, { signal: AbortSignal.timeout(timeoutMs) });

/** Poll `probe` every 100 ms until it returns true; how long that took, in ms. */
async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

describe("the processes under the front server", () => {
  it("run with the heap options of lib/node-flags.ts: the application server, and a worker once a page is rendered", async () => {
    const command = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(command(appPid)).toEqual(expect.arrayContaining([...HEAP_FLAGS]));
    // A page nobody has read renders in a worker.
    expect((await get("/wiki/Nursery_and_garden", 30_000)).status).toBe(200);
    const worker = findDescendant(appPid, "tinypool");
    expect(worker).not.toBeNull();
    expect(command(worker!)).toEqual(expect.arrayContaining([...HEAP_FLAGS]));
  });
});

describe("the processes under the front server step out of its way", () => {
  const threadNices = (pid: number) =>
    readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    });
  const session = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
  };

  it("the application server: every thread (V8's helpers too) below the front, in a session of its own whose scheduling group is lowered (by 15)", async () => {
    const front = findDescendant(app.child.pid!, "server.mjs")!;
    const frontNice = threadNices(front)[0]!;
    const nices = threadNices(appPid);
    expect(nices.length).toBeGreaterThan(4);
    expect(new Set(nices)).toEqual(new Set([Math.min(19, frontNice + 5)]));
    expect(session(appPid)).toBe(appPid);
    expect(session(front)).not.toBe(appPid);
    const frontGroup = autogroupNice(front);
    if (frontGroup !== null) expect(autogroupNice(appPid)).toBe(Math.min(19, frontGroup + 15));
  });

  it("a worker: every thread lower still, by its lane's step, in the application's session", async () => {
    expect((await get("/wiki/Adoption?rev=1", 30_000)).status).toBeLessThan(500);
    const worker = findDescendant(appPid, "tinypool");
    expect(worker).not.toBeNull();
    const appNice = threadNices(appPid)[0]!;
    const nices = threadNices(worker!);
    expect(nices.length).toBeGreaterThan(4);
    // The primary lane steps 2 below the application, the others more; every thread alike.
    expect(new Set(nices).size).toBe(1);
    expect(nices[0]).toBeGreaterThanOrEqual(Math.min(19, appNice + 2));
    expect(session(worker!)).toBe(appPid);
  });
});

describe("the front server answers on its own what needs no application", () => {
  it("one render for many readers: twenty at once on a page nobody has read yet cause a single miss", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get("/wiki/Social_learning", 30_000)));
    const cache = answers.map((res) => res.headers.get("x-page-cache"));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(cache.filter((c) => c === "miss")).toHaveLength(1);
    expect(cache.filter((c) => c === "hit")).toHaveLength(19);
    const bodies = new Set(await Promise.all(answers.map((res) => res.text())));
    expect(bodies.size).toBe(1);
  });

  it("while the application is frozen, cached pages and /api/health answer at once, expensive reads get 503 with Retry-After, and all recovers", async () => {
    await get("/wiki/Adoption", 30_000).then((r) => r.text());
    expect((await get("/wiki/Adoption")).headers.get("x-page-cache")).toBe("hit");
    process.kill(appPid, "SIGSTOP");
    try {
      const hit = await get("/wiki/Adoption", 1_000);
      expect(hit.status).toBe(200);
      expect(hit.headers.get("x-page-cache")).toBe("hit");
      // No load report for a second: the front treats the application as stalled.
      await until(async () => (await get("/search?q=garden", 1_500)).status === 503, 5_000);
      const refused = await get("/search?q=garden");
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      // The last health answer counts for three seconds, then the silence is reported.
      await until(async () => (await get("/api/health", 500)).status === 503, 6_000);
      expect((await (await get("/api/health", 500)).json()).message).toMatch(/^The application server has not answered for \d+ s\.$/);
      // Still frozen: a cached page is still a hit.
      expect((await get("/wiki/Adoption", 1_000)).headers.get("x-page-cache")).toBe("hit");
    } finally {
      process.kill(appPid, "SIGCONT");
    }
    await until(async () => (await get("/api/health", 2_000)).status === 200, 10_000);
    await until(async () => (await get("/search?q=garden", 10_000)).status === 200, 10_000);
  });

  it("when the application server dies, the wiki stops with an error (no front left answering for nobody)", async () => {
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", (code) => resolve(code)));
    process.kill(appPid, "SIGKILL");
    expect(await exited).not.toBe(0);
  });
});
