/**
 * `npm run bench -- cache-hit`: how close a page-cache hit comes to the
 * fastest a Node server can answer. In one run, wrk (Debian's, not the
 * bottleneck: a C load generator) loads the wiki's cached page and a 10-line
 * Node server that replays the very same response (status, headers and gzip
 * body) from memory, interleaved three times each; medians are reported.
 * Target (issue "Performance at scale"): the hit at least 0.75x the plain server.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "@/lib/db/client";
import { createUserAsOperator } from "@/lib/users/accounts";
import { savePage } from "@/lib/wiki/page-updater";
import { createTestDatabase } from "../test/support/test-database";
import { freePort } from "../test/support/free-port";
import { differenceSource, pageBody, startApp } from "./http";
import { report, rng } from "./lib";

const SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 5);

function wrk(url: string): { requestsPerSecond: number; p99Ms: number | null } {
  const out = execFileSync("wrk", ["-t2", "-c32", `-d${SECONDS}s`, "--latency", "-H", "Accept-Encoding: gzip", url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === "us" ? 0.001 : p99[2] === "s" ? 1000 : 1) : null;
  return { requestsPerSecond: Math.round(rps), p99Ms };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCacheHit(): Promise<void> {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    // wrk --version exits 1 while printing its version; only a missing binary throws ENOENT.
    if ((error as { code?: string }).code === "ENOENT") {
      console.log("cache-hit: wrk is not installed (apt-get install -y wrk); skipped");
      return;
    }
  }
  const database = await createTestDatabase("propagate_bench_hit");
  const { db, sql } = connect(database.url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let plain: ChildProcess | undefined;
  try {
    const author = await createUserAsOperator(db, { name: "Hit Author", email: "hit@bench.example", role: "editor" });
    await savePage(db, { title: "Hit page", content: differenceSource("Hit page", pageBody(rng(5), 50_000)), authorId: author.id, baseRevisionId: null });
    app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" });
    const url = `${app.base}/wiki/Hit_page`;
    await (await fetch(url)).text();
    // Wait for the gzip variant (made in the background after the fill).
    let hit: Response | undefined;
    for (let i = 0; i < 50; i++) {
      hit = await fetch(url, { headers: { "Accept-Encoding": "gzip" } });
      if (hit.headers.get("content-encoding") === "gzip" && hit.headers.get("x-page-cache") === "hit") break;
      await hit.arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!hit || hit.headers.get("x-page-cache") !== "hit") throw new Error("the page is not a cache hit");
    // The plain server replays the hit's own headers and its page, gzipped once (fetch hands back the decoded body).
    const headers = Object.fromEntries([...hit.headers.entries()].filter(([k]) => k !== "content-length" && k !== "transfer-encoding" && k !== "connection" && k !== "keep-alive" && k !== "date"));
    const { gzipSync } = await import("node:zlib");
    const body = gzipSync(Buffer.from(await hit.text()));
    const port = await freePort();
    // In a process of its own, like the wiki's server (wrk runs synchronously here).
    const dir = mkdtempSync(path.join(tmpdir(), "propagate-hit-"));
    writeFileSync(path.join(dir, "body.gz"), body);
    writeFileSync(path.join(dir, "headers.json"), JSON.stringify({ ...headers, "content-length": String(body.length) }));
    const script = `const http=require("http"),fs=require("fs");const b=fs.readFileSync(${JSON.stringify(path.join(dir, "body.gz"))});const h=JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, "headers.json"))},"utf8"));http.createServer((q,r)=>{r.writeHead(200,h);r.end(b)}).listen(${port},"127.0.0.1",()=>console.log("ready"));`;
    plain = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => plain!.stdout!.once("data", () => resolve()));
    const plainUrl = `http://127.0.0.1:${port}/`;

    // Warm both (JIT, the server's start-up work) before measuring.
    wrk(url);
    wrk(plainUrl);
    // What wrk is given: still a gzip hit (curl, a fresh connection; fetch would reuse one the server closed while idle).
    const head = execFileSync("curl", ["-s", "-o", "/dev/null", "-D", "-", "-H", "Accept-Encoding: gzip", url], { encoding: "utf8" }).toLowerCase();
    if (!head.includes("x-page-cache: hit") || !head.includes("content-encoding: gzip")) throw new Error(`not a gzip hit under load:\n${head}`);
    const rounds: { wiki: ReturnType<typeof wrk>; plain: ReturnType<typeof wrk> }[] = [];
    for (let i = 0; i < 3; i++) rounds.push({ wiki: wrk(url), plain: wrk(plainUrl) });
    const wikiRps = median(rounds.map((r) => r.wiki.requestsPerSecond));
    const plainRps = median(rounds.map((r) => r.plain.requestsPerSecond));
    const ratio = +(wikiRps / plainRps).toFixed(2);
    report(
      "cache-hit",
      [
        { server: "wiki, page-cache hit (gzip)", rps: wikiRps, p99Ms: median(rounds.map((r) => r.wiki.p99Ms ?? NaN)), bytes: body.length },
        { server: "plain Node, same response from memory", rps: plainRps, p99Ms: median(rounds.map((r) => r.plain.p99Ms ?? NaN)), bytes: body.length },
      ],
      { seconds: SECONDS, rounds: 3, ratio, target: ">= 0.75", met: ratio >= 0.75 },
    );
  } finally {
    plain?.kill();
    await app?.stop();
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}
