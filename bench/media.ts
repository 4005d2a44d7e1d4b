/**
 * `npm run bench -- media`: uploads and serving, in one run on a wiki of its
 * own (default limits).
 * - Upload of a 5 MB photo (a 2560 × 1920 JPEG of noise: the encoder's worst
 *   case) through POST /api/files: type check, re-encoding in the worker,
 *   storage, the revision; three runs (three different photos), medians.
 * - Its resized copies: the first request of each width makes it (sharp in the
 *   worker, then stored), the second reads it.
 * - Serving a stored copy under wrk against a plain Node server that answers
 *   the same bytes and headers from memory (the static-file rate; nginx is not
 *   on this machine), interleaved three times each, medians.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiToken } from "@/lib/auth/tokens";
import { connect } from "@/lib/db/client";
import { VARIANT_WIDTHS } from "@/lib/media/file-types";
import { createUserAsOperator } from "@/lib/users/accounts";
import { createTestDatabase } from "../test/support/test-database";
import { freePort } from "../test/support/free-port";
import { noisyJpeg } from "../test/support/media-files";
import { startApp } from "./http";
import { report } from "./lib";

const SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function wrk(url: string): { requestsPerSecond: number; p99Ms: number | null } {
  const out = execFileSync("wrk", ["-t2", "-c32", `-d${SECONDS}s`, "--latency", url], { encoding: "utf8" });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  return { requestsPerSecond: Math.round(rps), p99Ms: p99 ? Number(p99[1]) * (p99[2] === "us" ? 0.001 : p99[2] === "s" ? 1000 : 1) : null };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

export async function benchMedia(): Promise<void> {
  // The machine's load when the run began (the JSON's machine.loadAverage is when it ended): timings on a busy machine mean little.
  const loadAverageBefore = os.loadavg().map((n) => +n.toFixed(2));
  const database = await createTestDatabase("propagate_bench_media");
  const { db, sql } = connect(database.url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let plain: ChildProcess | undefined;
  try {
    const user = await createUserAsOperator(db, { name: "Media Bench", email: "media@bench.example", role: "editor" });
    const { token } = await createApiToken(db, user.id, "bench", "write");
    // Builds first when the build is stale.
    app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" });
    const uploads: { ms: number; bytesIn: number; bytesStored: number }[] = [];
    let url = "";
    for (let i = 0; i < 3; i++) {
      const photo = await noisyJpeg(2560, 1920 + i);
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(photo)]), `Bench photo ${i}.jpg`);
      const { ms, value } = await timed(async () => {
        const res = await fetch(`${app!.base}/api/files`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
        if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
        return (await res.json()) as { url: string; size: number };
      });
      uploads.push({ ms, bytesIn: photo.length, bytesStored: value.size });
      url = value.url;
    }
    const variants: { width: number; firstMs: number; cachedMs: number; bytes: number }[] = [];
    for (const width of VARIANT_WIDTHS) {
      const first = await timed(async () => (await fetch(`${url}?w=${width}`)).arrayBuffer());
      const again = await timed(async () => (await fetch(`${url}?w=${width}`)).arrayBuffer());
      variants.push({ width, firstMs: first.ms, cachedMs: again.ms, bytes: first.value.byteLength });
    }

    // Serving: a stored 640-wide copy, against the same bytes and headers from a plain Node server.
    const served = `${url}?w=640`;
    const answer = await fetch(served);
    const body = Buffer.from(await answer.arrayBuffer());
    const headers = Object.fromEntries([...answer.headers.entries()].filter(([k]) => !["content-length", "transfer-encoding", "connection", "keep-alive", "date"].includes(k)));
    const dir = mkdtempSync(path.join(tmpdir(), "propagate-media-"));
    writeFileSync(path.join(dir, "body"), body);
    writeFileSync(path.join(dir, "headers.json"), JSON.stringify({ ...headers, "content-length": String(body.length) }));
    const port = await freePort();
    const script = `const http=require("http"),fs=require("fs");const b=fs.readFileSync(${JSON.stringify(path.join(dir, "body"))});const h=JSON.parse(fs.readFileSync(${JSON.stringify(path.join(dir, "headers.json"))},"utf8"));http.createServer((q,r)=>{r.writeHead(200,h);r.end(b)}).listen(${port},"127.0.0.1",()=>console.log("ready"));`;
    plain = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => plain!.stdout!.once("data", () => resolve()));
    const plainUrl = `http://127.0.0.1:${port}/`;
    wrk(served);
    wrk(plainUrl);
    const rounds: { wiki: ReturnType<typeof wrk>; plain: ReturnType<typeof wrk> }[] = [];
    for (let i = 0; i < 3; i++) rounds.push({ wiki: wrk(served), plain: wrk(plainUrl) });
    const wikiRps = median(rounds.map((r) => r.wiki.requestsPerSecond));
    const plainRps = median(rounds.map((r) => r.plain.requestsPerSecond));
    report(
      "media",
      [
        ...uploads.map((u, i) => ({ step: `upload ${i + 1} (5 MB photo)`, ms: u.ms, bytesIn: u.bytesIn, bytesStored: u.bytesStored })),
        ...variants.map((v) => ({ step: `copy ${v.width} wide`, firstMs: v.firstMs, cachedMs: v.cachedMs, bytes: v.bytes })),
        { step: "serve stored 640 copy (wiki)", rps: wikiRps, p99Ms: median(rounds.map((r) => r.wiki.p99Ms ?? NaN)), bytes: body.length },
        { step: "same bytes, plain Node from memory", rps: plainRps, p99Ms: median(rounds.map((r) => r.plain.p99Ms ?? NaN)), bytes: body.length },
      ],
      {
        uploadMedianMs: median(uploads.map((u) => u.ms)),
        variantsFirstTotalMs: variants.reduce((n, v) => n + v.firstMs, 0),
        serveRatio: +(wikiRps / plainRps).toFixed(2),
        wrkSeconds: SECONDS,
        loadAverageBefore,
      },
    );
  } finally {
    plain?.kill();
    await app?.stop();
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}
