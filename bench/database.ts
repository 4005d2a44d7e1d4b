import { connect } from "@/lib/db/client";
import { searchPages } from "@/lib/search/search";
import { contentImportUser } from "@/lib/users/system-user";
import { listHistory } from "@/lib/wiki/revision-store";
import { createTestDatabase } from "../test/support/test-database";
import { percentile, report, rng } from "./lib";

const WORDS = "knowledge learning social garden nursery cutting tool tools people share adoption mandate pull context community practice podcast video tag search rate comment edit organisation manager learner network wiki page growth propagation transfer resource".split(" ");

/** Search at 10,000 pages and history at 100,000 revisions, on a fresh database (DATABASE_URL's server, or embedded). */
export async function benchDatabase(): Promise<void> {
  const database = await createTestDatabase("propagate_bench");
  const holder = connect(database.url, 1);
  const { db, sql } = holder;
  try {
    const system = await contentImportUser(db);
    // 10,000 pages with bodies of random words; search vectors built by Postgres as the page updater does.
    await sql`
      insert into pages (slug, title, kind, search_text, search_vector)
      select 'Bench_page_' || g, 'Bench page ' || g || ' ' || w.a, 'concept', body, setweight(to_tsvector('english', 'Bench page ' || g || ' ' || w.a), 'A') || setweight(to_tsvector('english', body), 'C')
      from generate_series(1, 10000) g,
      lateral (select (${WORDS}::text[])[1 + (g * 7) % ${WORDS.length}] as a) w,
      lateral (select string_agg((${WORDS}::text[])[1 + ((g * 31 + i * 17) % ${WORDS.length})], ' ') as body from generate_series(1, 300) i) b`;
    await sql`analyze pages`;
    const random = rng(42);
    const queries = Array.from({ length: 100 }, () => {
      const n = 1 + Math.floor(random() * 3);
      return Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
    });
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await searchPages(db, q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    report("search", [{ pages: 10000, queries: queries.length, p50Ms: +percentile(times, 50).toFixed(2), p95Ms: +percentile(times, 95).toFixed(2), maxMs: +times.at(-1)!.toFixed(2) }], { database: database.mode, target: { p95Ms: 50 } });

    // One page with 100,000 revisions in a straight chain.
    const [page] = await sql<{ id: number }[]>`insert into pages (slug, title, kind) values ('History_bench', 'History bench', 'concept') returning id`;
    const [row] = await sql<{ next: number }[]>`select (coalesce(max(id), 0) + 1)::int as next from revisions`;
    const next = row!.next;
    await sql`
      insert into revisions (id, page_id, parent_id, author_id, title, summary, content, fields, sha256, length)
      overriding system value
      select ${next} + g, ${page!.id}, case when g = 0 then null else ${next} + g - 1 end, ${system.id}, 'History bench', 'edit ' || g,
             'content ' || g, '{}'::jsonb, md5(g::text), 100 + g % 50
      from generate_series(0, 99999) g`;
    await sql`select setval(pg_get_serial_sequence('revisions', 'id'), ${next + 100000})`;
    await sql`update pages set latest_revision_id = ${next + 99999} where id = ${page!.id}`;
    await sql`analyze revisions`;
    // Interleaved, 31 times each, medians: at about a millisecond a query, drift and noise would swamp a short run.
    const firstTimes: number[] = [];
    const page1000Times: number[] = [];
    const time = async (before?: number) => {
      const t = performance.now();
      await listHistory(db, page!.id, { before, limit: 50 });
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) await time(); // warm up
    for (let i = 0; i < 31; i++) {
      firstTimes.push(await time());
      page1000Times.push(await time(next + 99999 - 50 * 999));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const first = median(firstTimes);
    const page1000 = median(page1000Times);
    report("history", [{ revisions: 100000, firstPageMs: +first.toFixed(2), page1000Ms: +page1000.toFixed(2), ratio: +(page1000 / first).toFixed(2) }], { database: database.mode, target: { ratio: 2 } });
  } finally {
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}
