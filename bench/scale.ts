/**
 * `npm run bench -- scale`: every page's cost as the wiki grows to 1,000,
 * 10,000 and 50,000 pages of realistic content, measured through HTTP against
 * the production server.
 *
 * Content: prose from the wamerican word list (/usr/share/dict/american-english,
 * `apt-get install -y wamerican`) with a Zipf word-frequency distribution
 * (rank r has weight 1/r), 2–6 KB per page, headings and a wiki link now and
 * then; 20% difference pages, the rest concepts; tags Zipf-distributed over
 * 300. Pages are inserted in bulk (multi-row inserts, one revision each),
 * with the page updater's own helpers for front matter, search text and
 * vector, links, tags and the stored diff summary. One page is 200 KB with
 * 500 revisions (a few lines changed each), for blame and the feeds.
 *
 * The server runs as in production, page cache on. Only the overview (and
 * blame) are in the page cache: for them the table gives the hit and,
 * separately, the miss (each request after a purge announced with NOTIFY, as
 * a save on another server would). Listings are loaded by one connection
 * (p50 is the cost of a request, not of a queue); search, blame and feeds as
 * described by their rows.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { sql as dsql } from "drizzle-orm";
import { connect, type Database } from "@/lib/db/client";
import { pageLinks, pages, pageTags, revisions } from "@/lib/db/schema";
import { contentImportUser } from "@/lib/users/system-user";
import { describeDiff, diffBetween } from "@/lib/wiki/revision-diff";
import { parseFrontMatter } from "@/lib/wiki/front-matter";
import { formatCursor } from "@/lib/wiki/keyset";
import { pageSearchIndex } from "@/lib/wiki/search-vector";
import { searchableText } from "@/lib/wiki/source";
import { parseTitle } from "@/lib/wiki/title";
import { closePool } from "@/lib/workers/pool";
import { createApiToken } from "@/lib/auth/tokens";
import { createUserAsOperator } from "@/lib/users/accounts";
import { savePage } from "@/lib/wiki/page-updater";
import { recountTags } from "@/lib/wiki/tag-counts";
import { extractLinkTargets } from "@/lib/wikitext/wikilink";
import { createHash } from "node:crypto";
import { OVERVIEW_TAG, PURGE_CHANNEL, pageTag, purgeMessage } from "@/lib/http/page-cache-key";
import { createTestDatabase } from "../test/support/test-database";
import { apiSave, startApp } from "./http";
import { treeMemory } from "../test/support/app-process";
import { percentile, report, rng } from "./lib";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,50000").split(",").map(Number);
const LOAD_SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 4);
const BATCH = 500;
/** Which part of the wiki a process is, by its command line. */
function processRole(command: string): string {
  if (command.includes("scripts/start.ts")) return "launcher";
  if (command.includes("app-server.mjs")) return "application server";
  if (command.includes("server.mjs")) return "front server";
  if (command.includes("tinypool")) return "CPU workers";
  if (command.includes("esbuild")) return "esbuild services";
  return "other";
}

const TARGETS = { listingP50Ms: 50, listingBytes: 300_000, searchP95Ms: 50, blameP50Ms: 100, feedMs: 20, rssMiB: 500 };

/**
 * The word list as a Zipf sampler: words in a seeded random order, rank r
 * drawn with weight 1/r. One word in fifty is held out of the corpus (no page
 * has it, nor its stem: held-out words sharing a stem with a corpus word are
 * dropped), for searches without results that are still real English.
 */
export function vocabulary(random: () => number) {
  const all = readFileSync("/usr/share/dict/american-english", "utf8")
    .split("\n")
    .filter((w) => /^[a-z]{2,14}$/.test(w));
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const words = all.filter((_, i) => i % 50 !== 0);
  // A crude stem (the first six letters) is enough to keep "walks" out of the held-out list when "walk" is in the corpus.
  const stems = new Set(words.map((w) => w.slice(0, 6)));
  const heldOut = all.filter((w, i) => i % 50 === 0 && w.length >= 5 && !stems.has(w.slice(0, 6)));
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative[r] = total += 1 / (r + 1);
  const draw = (): string => {
    const x = random() * total;
    let lo = 0;
    let hi = words.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  /** A word drawn evenly from the whole list (titles name topics, not the commonest words). */
  const any = (): string => words[Math.floor(random() * words.length)]!;
  return { words, heldOut, draw, any };
}

type Vocabulary = ReturnType<typeof vocabulary>;

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

function sentence(v: Vocabulary, random: () => number, n: number): string {
  return cap(Array.from({ length: n }, v.draw).join(" ")) + ".";
}

/** 2–6 KB of paragraphs, a heading every few, a link to another page now and then. */
function prose(v: Vocabulary, random: () => number, bytes: number, linkTo: () => string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    let p: string;
    if (i % 5 === 0) p = `## ${sentence(v, random, 2 + Math.floor(random() * 3)).slice(0, -1)}`;
    else {
      const sentences = Array.from({ length: 3 + Math.floor(random() * 4) }, () => sentence(v, random, 6 + Math.floor(random() * 14)));
      if (random() < 0.3) sentences.push(`See [[${linkTo()}]].`);
      p = sentences.join(" ");
    }
    parts.push(p);
    size += p.length + 2;
  }
  return parts.join("\n\n") + "\n";
}

type Generated = { title: string; slug: string; source: string; difference: boolean };

/** A title of two or three real words (no digits), new to the wiki: drawn again until it is. */
function newTitle(v: Vocabulary, random: () => number, taken: Set<string>): string {
  for (;;) {
    const n = 2 + Math.floor(random() * 2);
    const title = cap(Array.from({ length: n }, v.any).join(" "));
    const slug = parseTitle(title).slug;
    if (!taken.has(slug)) {
      taken.add(slug);
      return title;
    }
  }
}

function generatePages(v: Vocabulary, random: () => number, from: number, count: number, tags: string[], titles: string[], taken: Set<string>): Generated[] {
  const tagDraw = () => tags[Math.min(tags.length - 1, Math.floor(tags.length ** random()) - 1)]!;
  const out: Generated[] = [];
  for (let i = from; i < from + count; i++) {
    const title = newTitle(v, random, taken);
    titles.push(title);
    const difference = i % 5 === 0;
    const body = prose(v, random, 2000 + Math.floor(random() * 4000), () => titles[Math.floor(random() * titles.length)]!);
    const pageTags = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, tagDraw))];
    const summary = sentence(v, random, 8);
    const front = difference
      ? [
          `kind: difference`,
          `summary: ${JSON.stringify(summary)}`,
          `dimension: ${JSON.stringify(cap(`${v.draw()} ${v.draw()}`))}`,
          `tkm: ${JSON.stringify(sentence(v, random, 10))}`,
          `sl: ${JSON.stringify(sentence(v, random, 10))}`,
        ]
      : [`kind: concept`, `summary: ${JSON.stringify(summary)}`];
    const source = ["---", `title: ${JSON.stringify(title)}`, ...front, `tags: ${JSON.stringify(pageTags)}`, "---", "", body].join("\n");
    out.push({ title, slug: parseTitle(title).slug, source, difference });
  }
  return out;
}

/** Insert pages as the page updater writes them: page row with search text and vector, revision, pointer, links, tags. */
async function insertPages(db: Database, authorId: string, batch: Generated[]): Promise<void> {
  const parsed = batch.map((g) => {
    const front = parseFrontMatter(g.source);
    if (!front.ok) throw new Error(`generated front matter of ${g.title} is invalid: ${JSON.stringify(front.issues)}`);
    return { g, fields: front.fields, body: front.split.body };
  });
  const rows = await db
    .insert(pages)
    .values(
      parsed.map(({ g, fields, body }) => {
        const search = pageSearchIndex(g.title, fields, searchableText(body));
        return { slug: g.slug, title: g.title, kind: fields.kind, dimension: fields.kind === "difference" ? fields.dimension : null, searchText: search.searchText, searchVector: search.searchVector };
      }),
    )
    .returning({ id: pages.id, slug: pages.slug });
  const ids = new Map(rows.map((r) => [r.slug, r.id]));
  const revs = await db
    .insert(revisions)
    .values(
      parsed.map(({ g, fields }) => ({
        pageId: ids.get(g.slug)!,
        authorId,
        title: g.title,
        summary: "import",
        content: g.source,
        fields,
        sha256: createHash("sha256").update(g.source).digest("hex"),
        length: Buffer.byteLength(g.source),
        // What summariseChange says of a new page (lines added, size), without a diff per page.
        diffSummary: `lines: ${g.source.split("\n").length} added; +${Buffer.byteLength(g.source)} bytes`,
      })),
    )
    .returning({ id: revisions.id, pageId: revisions.pageId });
  await db.execute(dsql`update pages set latest_revision_id = v.rid from (select unnest(${`{${revs.map((r) => r.id).join(",")}}`}::int[]) as rid, unnest(${`{${revs.map((r) => r.pageId).join(",")}}`}::int[]) as pid) v where pages.id = v.pid`);
  const links = parsed.flatMap(({ g, body }) => [...new Set(extractLinkTargets(body))].filter((s) => s !== g.slug).map((toSlug) => ({ fromPageId: ids.get(g.slug)!, toSlug })));
  if (links.length > 0) await db.insert(pageLinks).values(links).onConflictDoNothing();
  const tags = parsed.flatMap(({ g, fields }) => [...new Set(fields.tags)].map((tag) => ({ pageId: ids.get(g.slug)!, tag, title: g.title })));
  if (tags.length > 0) await db.insert(pageTags).values(tags).onConflictDoNothing();
}

/** The 200 KB page with 500 revisions, each changing a few lines, with their stored diff summaries. */
async function insertHistoryPage(db: Database, v: Vocabulary, random: () => number, authorId: string): Promise<string> {
  const title = "Long history";
  const head = ["---", `title: "${title}"`, "kind: difference", 'summary: "A long page with a long history."', 'dimension: "History"', 'tkm: "Kept."', 'sl: "Grown."', 'tags: ["history"]', "---", ""].join("\n");
  const lines = prose(v, random, 200_000, () => "Social learning").split("\n");
  const [page] = await db.insert(pages).values({ slug: "Long_history", title, kind: "difference", dimension: "History" }).returning({ id: pages.id });
  let parentId: number | null = null;
  let previous = "";
  let lastBody = "";
  for (let r = 0; r < 500; r++) {
    for (let k = 0; k < 3; k++) {
      const at = Math.floor(random() * lines.length);
      if (lines[at] && !lines[at]!.startsWith("##")) lines[at] = sentence(v, random, 12);
    }
    const body = lines.join("\n");
    const source = head + body;
    const front = parseFrontMatter(source);
    if (!front.ok) throw new Error("history page front matter is invalid");
    const length = Buffer.byteLength(source);
    // As a save on a quiet server stores it (a save waits at most 300 ms for the pool; generating 500 revisions must not give up).
    const diffSummary = describeDiff(await diffBetween(previous, source, { budgetMs: 100, context: 0 }, 60_000), length - Buffer.byteLength(previous));
    const [rev]: { id: number }[] = await db
      .insert(revisions)
      .values({ pageId: page!.id, parentId, authorId, title, summary: `edit ${r}`, content: source, fields: front.fields, sha256: createHash("sha256").update(source).digest("hex"), length, diffSummary })
      .returning({ id: revisions.id });
    parentId = rev!.id;
    previous = source;
    lastBody = front.split.body;
  }
  const front = parseFrontMatter(previous);
  if (!front.ok) throw new Error("unreachable");
  const search = pageSearchIndex(title, front.fields, searchableText(lastBody));
  await db.update(pages).set({ latestRevisionId: parentId, searchText: search.searchText, searchVector: search.searchVector }).where(dsql`id = ${page!.id}`);
  await db.insert(pageTags).values({ pageId: page!.id, tag: "history", title });
  return "Long_history";
}

async function load(url: string, connections = 1) {
  const result = await autocannon({ url, connections, duration: LOAD_SECONDS, timeout: 30 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { p50Ms: result.latency.p50, p99Ms: result.latency.p99, rps: Math.round(result.requests.average), bytes: Math.round(result.throughput.total / Math.max(1, result.requests.total)) };
}

async function timedFetch(url: string): Promise<{ ms: number; status: number; bytes: number; text: string }> {
  const t = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  const ms = performance.now() - t;
  return { ms, status: res.status, bytes: body.byteLength, text: Buffer.from(body).toString("utf8") };
}

const round = (n: number) => +n.toFixed(1);

/** A purge as a save on another server announces it; the server under test LISTENs and drops the entries. */
async function purgeAnnounced(sql: ReturnType<typeof connect>["sql"], tags: string[]): Promise<void> {
  await sql`select pg_notify(${PURGE_CHANNEL}, ${purgeMessage({ tags })})`;
  await new Promise((r) => setTimeout(r, 20));
}

export async function benchScale(): Promise<void> {
  const database = await createTestDatabase("propagate_bench_scale");
  const { db, sql } = connect(database.url, 4);
  const random = rng(2026);
  const v = vocabulary(random);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  const results: Record<string, unknown>[] = [];
  try {
    const system = await contentImportUser(db);
    const tags = Array.from({ length: 300 }, (_, i) => `${v.words[i * 7]!}-${i}`);
    const titles: string[] = [];
    const taken = new Set<string>(["Long_history", "Feed_probe"]);
    const historySlug = await insertHistoryPage(db, v, random, system.id);
    if (process.env.BENCH_SCALE_ONLY_DATA) {
      for (let have = 0; have < SIZES[0]!; have += BATCH) await insertPages(db, system.id, generatePages(v, random, have, Math.min(BATCH, SIZES[0]! - have), tags, titles, taken));
      await recountTags(db);
      await sql`analyze`;
      return;
    }
    // An editor with a token, whose API saves of a small page purge the feeds as any write does.
    const editorUser = await createUserAsOperator(db, { name: "Scale Editor", email: "scale-editor@bench.example", role: "editor" });
    const editor = { token: (await createApiToken(db, editorUser.id, "bench", "write")).token };
    const probeSource = (line: string) => ["---", 'title: "Feed probe"', "kind: concept", 'summary: "A page the benchmark edits."', "tags: []", "---", "", line, ""].join("\n");
    let probeRevision = (await savePage(db, { title: "Feed probe", content: probeSource("First."), authorId: editorUser.id, baseRevisionId: null })).revision.id;
    app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" });
    const base = app.base;
    // The memory of the launcher and everything under it (front, application server, workers), sampled
    // throughout; for each size, the peak of the summed RSS (shared pages counted once per process) and of the
    // summed PSS (each page once), with each kind of process's share at the PSS peak.
    const launcher = app.child.pid!;
    let peak = { rssMiB: 0, pssMiB: 0, byRole: {} as Record<string, { processes: number; pssMiB: number; rssMiB: number }> };
    const sampler = setInterval(() => {
      const sample = treeMemory(launcher);
      const rss = sample.reduce((sum, p) => sum + p.rssKiB, 0) / 1024;
      const pss = sample.reduce((sum, p) => sum + p.pssKiB, 0) / 1024;
      peak.rssMiB = Math.max(peak.rssMiB, rss);
      if (pss <= peak.pssMiB) return;
      peak.pssMiB = pss;
      peak.byRole = {};
      for (const p of sample) {
        const role = processRole(p.command);
        const entry = (peak.byRole[role] ??= { processes: 0, pssMiB: 0, rssMiB: 0 });
        entry.processes++;
        entry.pssMiB += Math.round(p.pssKiB / 1024);
        entry.rssMiB += Math.round(p.rssKiB / 1024);
      }
    }, 250).unref();
    let have = 0;
    for (const size of SIZES) {
      peak = { rssMiB: 0, pssMiB: 0, byRole: {} };
      const t0 = performance.now();
      while (have < size) {
        const n = Math.min(BATCH, size - have);
        await insertPages(db, system.id, generatePages(v, random, have, n, tags, titles, taken));
        have += n;
      }
      // The bulk insert wrote page_tags directly; the tag list reads stored counts.
      await recountTags(db);
      await sql`analyze`;
      const generateSeconds = round((performance.now() - t0) / 1000);

      // Listings: the first page and a page deep in, every one through HTTP.
      const [mid] = await sql<{ id: number; title: string; dimension: string }[]>`
        select id, title, dimension from pages where kind = 'difference' and deleted_at is null order by dimension, id offset ${Math.floor(size / 10)} limit 1`;
      const [midTitle] = await sql<{ id: number; title: string }[]>`select id, title from pages where deleted_at is null order by title, id offset ${Math.floor(size / 2)} limit 1`;
      const [popular] = await sql<{ tag: string }[]>`select tag from page_tags group by tag order by count(*) desc limit 1`;
      const listings: [string, string][] = [
        ["/ (overview)", "/"],
        ["/ deep (after a cursor)", `/?after=${formatCursor({ key: mid!.dimension, id: mid!.id })}`],
        ["/compare by title, tag filter", `/compare?sort=title&tag=${encodeURIComponent(popular!.tag)}`],
        ["/pages", "/pages"],
        ["/pages deep", `/pages?after=${formatCursor({ key: midTitle!.title, id: midTitle!.id })}`],
        ["/tags", "/tags"],
        ["/tags/<most used>", `/tags/${encodeURIComponent(popular!.tag)}`],
        ["/recent-changes", "/recent-changes"],
      ];
      for (const [name, path] of listings) {
        await timedFetch(base + path);
        const r = await load(base + path);
        results.push({ pages: size, what: `listing ${name}`, ...r, met: r.p50Ms < TARGETS.listingP50Ms && r.bytes < TARGETS.listingBytes });
      }
      // The overview's misses: each request right after a purge of the overview, as after a save that changes it.
      const misses: number[] = [];
      let missBytes = 0;
      for (let i = 0; i < 20; i++) {
        await purgeAnnounced(sql, [OVERVIEW_TAG]);
        const r = await timedFetch(`${base}/`);
        misses.push(r.ms);
        missBytes = r.bytes;
      }
      misses.sort((a, b) => a - b);
      results.push({ pages: size, what: "listing / (overview), a miss after each purge", p50Ms: round(percentile(misses, 50)), p99Ms: round(misses.at(-1)!), bytes: missBytes, met: percentile(misses, 50) < TARGETS.listingP50Ms && missBytes < TARGETS.listingBytes });

      // Search: 100 queries of one to three words drawn from the vocabulary (Zipf), a fifth with a real
      // English word held out of the corpus (no results: the "did you mean" path). Each query is counted
      // as with or without results by what the page says, not by what was intended.
      const searchTimes: number[] = [];
      const empties: number[] = [];
      for (let i = 0; i < 100; i++) {
        const words = Array.from({ length: i % 5 === 0 ? Math.floor(random() * 2) : 1 + Math.floor(random() * 3) }, v.draw);
        if (i % 5 === 0) words.splice(Math.floor(random() * (words.length + 1)), 0, v.heldOut[Math.floor(random() * v.heldOut.length)]!);
        const r = await timedFetch(`${base}/search?q=${encodeURIComponent(words.join(" "))}`);
        if (r.status !== 200) throw new Error(`search answered ${r.status}`);
        (r.text.includes("No page matches") ? empties : searchTimes).push(r.ms);
      }
      const all = [...searchTimes, ...empties].sort((a, b) => a - b);
      const p95 = percentile(all, 95);
      results.push({
        pages: size,
        what: `search, 100 queries (${empties.length} without results)`,
        p50Ms: round(percentile(all, 50)),
        p95Ms: round(p95),
        resultsP95Ms: round(percentile(searchTimes.sort((a, b) => a - b), 95)),
        noResultP95Ms: round(percentile(empties.sort((a, b) => a - b), 95)),
        met: p95 < TARGETS.searchP95Ms,
      });

      // Blame of the 200 KB × 500 page: the first view after a purge (computed and rendered), then ten at once, five times.
      await purgeAnnounced(sql, [pageTag(historySlug)]);
      const cold = await timedFetch(`${base}/wiki/${historySlug}/blame`);
      const blameTimes: number[] = [];
      for (let r = 0; r < 5; r++) blameTimes.push(...(await Promise.all(Array.from({ length: 10 }, () => timedFetch(`${base}/wiki/${historySlug}/blame`)))).map((x) => x.ms));
      blameTimes.sort((a, b) => a - b);
      results.push({ pages: size, what: "blame 200 KB × 500, 10 at once", coldMs: round(cold.ms), p50Ms: round(percentile(blameTimes, 50)), p99Ms: round(percentile(blameTimes, 99)), bytes: cold.bytes, met: percentile(blameTimes, 50) < TARGETS.blameP50Ms });

      // Feeds: each route's first request (its code loaded), then the first build after a write (an edit
      // saved through the API, whose event purges the feeds), five times, then cached under load.
      for (const path of ["/feeds/recent-changes", `/feeds/history/${historySlug}`]) {
        const first = await timedFetch(base + path);
        const builds: number[] = [];
        for (let k = 0; k < 5; k++) {
          probeRevision = await apiSave(base, editor.token, "Feed_probe", probeSource(`Edit ${size}.${path.length}.${k}.`), probeRevision);
          builds.push((await timedFetch(base + path)).ms);
        }
        builds.sort((a, b) => a - b);
        const r = await load(base + path);
        const buildP50 = percentile(builds, 50);
        results.push({ pages: size, what: `feed ${path}`, firstRequestMs: round(first.ms), buildAfterWriteP50Ms: round(buildP50), buildAfterWriteMaxMs: round(builds.at(-1)!), ...r, met: buildP50 < TARGETS.feedMs && r.p50Ms < TARGETS.feedMs });
      }
      results.push({ pages: size, what: "process tree memory, peak while measuring (MiB)", peakPssMiB: Math.round(peak.pssMiB), peakRssSumMiB: Math.round(peak.rssMiB), atPssPeak: peak.byRole, met: peak.pssMiB < TARGETS.rssMiB });
      console.log(`scale: ${size} pages generated in ${generateSeconds} s and measured`);
      results.push({ pages: size, what: "generation (bulk insert)", seconds: generateSeconds });
    }
    clearInterval(sampler);
    report("scale", results, { database: database.mode, pageCache: "on (the overview and blame are cached; misses measured after announced purges)", loadSeconds: LOAD_SECONDS, connections: 1, targets: TARGETS });
  } finally {
    await app?.stop();
    await closePool();
    await sql.end({ timeout: 5 });
    if (process.env.BENCH_SCALE_KEEP) console.log(`scale: kept ${database.url}`);
    else await database.drop();
  }
}
