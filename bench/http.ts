/**
 * Benchmarks through HTTP against the production server (`npm start`: the
 * `next build` output behind scripts/server.ts) on a real PostgreSQL:
 * page views (autocannon, next to a static file of the same size served by
 * the same server), cold views of new revisions, saves (one editor, then 50
 * at once), the server's memory, and the time `npm start` takes to serve its
 * first page on the embedded database.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createApiToken } from "@/lib/auth/tokens";
import { connect } from "@/lib/db/client";
import { createUserAsOperator } from "@/lib/users/accounts";
import { savePage } from "@/lib/wiki/page-updater";
import { createTestDatabase } from "../test/support/test-database";
import { percentile, report, rng } from "./lib";

const STATIC_FILE = path.join("public", "bench-static.html");
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CONNECTIONS = 10;

/** Markdown paragraphs (with a heading every few and a wiki link now and then), about `bytes` long. */
export function pageBody(random: () => number, bytes: number): string {
  const words = "knowledge learning social garden nursery cutting tool people share adoption mandate pull context community practice podcast video search rate comment organisation manager learner network growth propagation transfer resource habit trust story mentor craft question".split(
    " ",
  );
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p =
      i % 6 === 0
        ? `## Section ${i / 6 + 1}`
        : Array.from({ length: 40 + Math.floor(random() * 40) }, (_, k) => (k === 5 && i % 4 === 1 ? "[[Social learning]]" : words[Math.floor(random() * words.length)]!)).join(" ") + ".";
    parts.push(p);
    size += p.length + 2;
  }
  return parts.join("\n\n") + "\n";
}

export function differenceSource(title: string, body: string): string {
  return [
    "---",
    `title: ${JSON.stringify(title)}`,
    "kind: difference",
    `summary: ${JSON.stringify(`A long page for benchmarks (${title}).`)}`,
    `dimension: ${JSON.stringify(title)}`,
    'tkm: "Collected and filed by the organisation."',
    'sl: "Grown and shared by the people who use it."',
    'tags: ["bench"]',
    "---",
    "",
    body,
  ].join("\n");
}

import { rssMiB, startApp } from "../test/support/app-process";

export { rssMiB, startApp };

async function load(url: string, headers: Record<string, string> = {}, nextPath?: () => string) {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    headers,
    ...(nextPath ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: nextPath() }) }] } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
  return { requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, bytesPerResponse: Math.round(result.throughput.total / result.requests.total) };
}

/** Sign in through next-auth's credentials endpoint, as the sign-in form does; returns the session cookie. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, Cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed (${res.status})`);
  return session.split(";")[0]!;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

const ms = (n: number) => +n.toFixed(1);
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50Ms: ms(percentile(sorted, 50)), p99Ms: ms(percentile(sorted, 99)), maxMs: ms(sorted.at(-1)!) };
};

export async function benchHttp(): Promise<void> {
  const database = await createTestDatabase("propagate_bench_http");
  const { db, sql } = connect(database.url, 4);
  const random = rng(7);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    mkdirSync(path.dirname(STATIC_FILE), { recursive: true });
    // Data: a 50 KB difference page, a reader with a password, 50 editors with API tokens and a 10 KB page each.
    const reader = await createUserAsOperator(db, { name: "Bench Reader", email: "reader@bench.example", role: "editor", password: "a long bench password 42" });
    const editors = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const user = await createUserAsOperator(db, { name: `Bench Editor ${i + 1}`, email: `editor${i + 1}@bench.example`, role: "editor" });
        return { user, token: (await createApiToken(db, user.id, "bench", "write")).token, slug: `Bench_page_${i + 1}` };
      }),
    );
    const big = await savePage(db, { title: "Bench difference", content: differenceSource("Bench difference", pageBody(random, 50_000)), authorId: reader.id, baseRevisionId: null });
    for (const e of editors) {
      await savePage(db, { title: e.slug, content: differenceSource(e.slug.replace(/_/g, " "), pageBody(random, 10_000)), authorId: e.user.id, baseRevisionId: null });
    }

    const appEnv = { DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" };
    // Next.js serves the files public/ holds when it starts: learn the page's size first, then
    // start again with a static file of exactly that size, so both runs move the same bytes.
    app = await startApp(appEnv);
    const pageBytes = Buffer.byteLength(await (await fetch(`${app.base}/wiki/Bench_difference`)).text());
    await app.stop();
    writeFileSync(STATIC_FILE, staticPage(pageBytes));
    app = await startApp(appEnv);
    const base = app.base;
    const pageUrl = `${base}/wiki/Bench_difference`;

    // 1. Page views. Warm the cache, check what is served, then load each URL in turn while sampling memory.
    const first = await fetch(pageUrl);
    const html = await first.text();
    const second = await fetch(pageUrl);
    if (second.headers.get("x-page-cache") !== "hit") throw new Error("the second anonymous view was not a cache hit");
    const staticRes = await fetch(`${base}/bench-static.html`);
    if (!staticRes.ok) throw new Error(`the static file was not served (${staticRes.status})`);
    const staticBytes = (await staticRes.arrayBuffer()).byteLength;
    const cookie = await signIn(base, "reader@bench.example", "a long bench password 42");
    const signedIn = await fetch(pageUrl, { headers: { cookie } });
    if (signedIn.headers.get("x-page-cache") !== "hit" || (await signedIn.text()) !== html) throw new Error("the signed-in view was not the shared cached page");
    // The whole `npm start` process tree: launcher, front, application server, workers.
    let peakRss = rssMiB(app.child.pid!);
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(app!.child.pid!))), 200);
    const staticLoad = await load(`${base}/bench-static.html`);
    const anonymous = await load(pageUrl);
    const member = await load(pageUrl, { cookie });
    // Every request a new address (a parameter the page reads): each one is rendered (parser cache hit, no MDX) and stored.
    let n = 0;
    const rendered = await load(pageUrl, {}, () => `/wiki/Bench_difference?redirectedfrom=Bench_${++n}`);
    clearInterval(sampler);
    const ratio = +(anonymous.requestsPerSecond / staticLoad.requestsPerSecond).toFixed(2);

    // Cold views: the first anonymous view after each of 20 saves (the new revision is rendered and cached).
    const cold: number[] = [];
    const author = editors[0]!;
    let content = differenceSource("Bench difference", pageBody(rng(99), 50_000));
    let baseRevision = big.revision.id;
    for (let i = 0; i < 20; i++) {
      content = content.replace(/## Section 2\b.*\n/, `## Section 2 (cold ${i})\n`);
      const saved = await apiSave(base, author.token, "Bench_difference", content, baseRevision);
      baseRevision = saved;
      const [t, res] = await timed(() => fetch(pageUrl).then(async (r) => ({ cache: r.headers.get("x-page-cache"), body: await r.text() })));
      if (res.cache !== "miss" || !res.body.includes(`Section 2 (cold ${i})`)) throw new Error("a cold view did not show the new revision");
      cold.push(t);
    }
    report(
      "page-view",
      [
        { view: "static file (public/)", ...staticLoad },
        { view: "anonymous, cached page", ...anonymous, ratioToStatic: ratio },
        { view: "signed in, cached page", ...member, ratioToStatic: +(member.requestsPerSecond / staticLoad.requestsPerSecond).toFixed(2) },
        { view: "rendered every time (new URL per request)", ...rendered, ratioToStatic: +(rendered.requestsPerSecond / staticLoad.requestsPerSecond).toFixed(2) },
      ],
      {
        database: "server",
        connections: CONNECTIONS,
        secondsPerRun: LOAD_SECONDS,
        pageBytes,
        staticBytes,
        processTreePeakRssMiB: Math.round(peakRss),
        coldViewAfterSave: stats(cold),
        target: { ratioToStatic: 0.5, anonymousP99Ms: 50, serverRssMiB: 500 },
      },
    );

    // 2. Saves through the API (validation, merge check, links, search index, commit), one editor after another…
    const one = editors[1]!;
    const saves: number[] = [];
    let source = differenceSource(one.slug.replace(/_/g, " "), pageBody(rng(5), 10_000));
    let parent = (await sql<{ id: number }[]>`select latest_revision_id as id from pages where slug = ${one.slug}`)[0]!.id;
    const savesWithView: number[] = [];
    for (let i = 0; i < 100; i++) {
      source = source.replace(/## Section 1\b.*\n/, `## Section 1 (edit ${i})\n`);
      const [t, id] = await timed(() => apiSave(base, one.token, one.slug, source, parent));
      parent = id;
      saves.push(t);
    }
    // The same, each followed by the first view of the new revision, which bundles and renders it.
    for (let i = 0; i < 30; i++) {
      source = source.replace(/## Section 1\b.*\n/, `## Section 1 (viewed ${i})\n`);
      const [t] = await timed(async () => {
        parent = await apiSave(base, one.token, one.slug, source, parent);
        const view = await fetch(`${base}/wiki/${one.slug}`);
        if (!(await view.text()).includes(`Section 1 (viewed ${i})`)) throw new Error("the view after a save did not show it");
      });
      savesWithView.push(t);
    }
    // …and 50 editors at once, each on their own page, five rounds.
    const concurrent: number[] = [];
    const heads = new Map<string, { source: string; parent: number }>();
    for (const e of editors) {
      const [row] = await sql<{ id: number; content: string }[]>`select r.id, r.content from pages p join revisions r on r.id = p.latest_revision_id where p.slug = ${e.slug}`;
      heads.set(e.slug, { source: row!.content, parent: row!.id });
    }
    const [wall] = await timed(async () => {
      for (let round = 0; round < 5; round++) {
        await Promise.all(
          editors.map(async (e) => {
            const head = heads.get(e.slug)!;
            head.source = head.source.replace(/## Section 1\b.*\n/, `## Section 1 (round ${round})\n`);
            const [t, id] = await timed(() => apiSave(base, e.token, e.slug, head.source, head.parent));
            head.parent = id;
            concurrent.push(t);
          }),
        );
      }
    });
    report(
      "save",
      [
        { run: "one editor, 100 saves of a 10 KB page", ...stats(saves) },
        { run: "save + first view (bundle, render), 30 times", ...stats(savesWithView) },
        { run: "50 editors at once, 5 rounds", ...stats(concurrent), savesPerSecond: Math.round(concurrent.length / (wall / 1000)) },
      ],
      { database: "server", target: { p50Ms: 150 } },
    );
    await app.stop();
    app = undefined;

    // 3. Start: `npm start` (already built) on a new embedded database until the first page view, then again on the same data.
    const dataDir = mkdtempSync(path.join(tmpdir(), "propagate-bench-start-"));
    try {
      const env = { DATABASE_URL: "", PROPAGATE_DATA_DIR: dataDir };
      const runs = [];
      for (const label of ["first start (migrate, import content/)", "second start (data kept)"]) {
        const started = await startApp(env, "/wiki/Social_learning", 120_000);
        runs.push({ start: label, toFirstPageViewMs: Math.round(started.readyMs) });
        await started.stop();
      }
      report("start", runs, { database: "embedded", target: "none set; reported" });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await app?.stop();
    rmSync(STATIC_FILE, { force: true });
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}

/** A static HTML page of exactly `bytes` bytes. */
function staticPage(bytes: number): string {
  const head = "<!DOCTYPE html><html><head><title>static</title></head><body><pre>";
  const tail = "</pre></body></html>";
  const filler = pageBody(rng(3), bytes).replace(/[<>&]/g, "");
  return head + filler.slice(0, bytes - head.length - tail.length) + tail;
}

/** Save through the JSON API with a bearer token; the new revision's id. */
export async function apiSave(base: string, token: string, slug: string, content: string, baseRevisionId: number): Promise<number> {
  const res = await fetch(`${base}/api/pages/${slug}/revisions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ content, baseRevisionId, summary: "bench" }),
  });
  if (res.status !== 201) throw new Error(`save of ${slug} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { revision: { id: number } }).revision.id;
}
