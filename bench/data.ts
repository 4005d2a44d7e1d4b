/**
 * `npm run bench -- data`: backup, restore, export (MediaWiki XML and git) and
 * import times. The wiki is BENCH_DATA_PAGES pages (10,000) with
 * BENCH_DATA_REVISIONS revisions each (10: 100,000 in all), about 1 KB of MDX per
 * revision, inserted in bulk with SQL; titles start with every letter of the
 * alphabet in turn. The import reads a generated wikitext
 * dump of BENCH_DATA_IMPORT_PAGES pages (200) with the same revisions per page:
 * every imported revision goes through the page updater (MDX check in the
 * worker, links, tags, search), so its rate is measured on a part and the
 * whole is extrapolated, as the row says.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { connect } from "@/lib/db/client";
import { writeBackup } from "@/lib/data/backup";
import { writeGitExport } from "@/lib/data/git-export";
import { writeMediawikiExport } from "@/lib/data/mediawiki-export";
import { importMediawiki } from "@/lib/data/mediawiki-import";
import { restoreBackup } from "@/lib/data/restore";
import { closePool } from "@/lib/workers/pool";
import { buildRenderWorker } from "../scripts/build-worker";
import { createTestDatabase, type TestDatabase } from "../test/support/test-database";
import { report } from "./lib";

const PAGES = Number(process.env.BENCH_DATA_PAGES ?? 10_000);
const REVISIONS = Number(process.env.BENCH_DATA_REVISIONS ?? 10);
const IMPORT_PAGES = Number(process.env.BENCH_DATA_IMPORT_PAGES ?? 200);

const seconds = (from: number) => +((performance.now() - from) / 1000).toFixed(1);
const mb = async (file: string) => +((await stat(file)).size / 1024 / 1024).toFixed(1);

/** PAGES pages × REVISIONS revisions, each revision a whole MDX page of about 1 KB, parents chained. */
async function fill(sql: ReturnType<typeof connect>["sql"]): Promise<void> {
  const [author] = await sql<{ id: string }[]>`insert into users (name) values ('Bench writer') returning id`;
  // Titles start with every letter, as a wiki's do (the git export keeps a folder per initial).
  await sql`insert into pages (slug, title, kind) select chr(65 + i % 26) || 'ench_page_' || i, chr(65 + i % 26) || 'ench page ' || i, 'concept' from generate_series(1, ${PAGES}::int) i`;
  for (let r = 1; r <= REVISIONS; r++) {
    await sql`
      insert into revisions (page_id, parent_id, author_id, title, summary, is_minor, content, fields, sha256, length, created_at)
      select p.id, p.latest_revision_id, ${author!.id}, p.title, 'edit ' || ${r}::int, ${r}::int % 3 = 0, c.content,
             jsonb_build_object('kind', 'concept', 'title', p.title, 'summary', 'A bench page.', 'tags', '[]'::jsonb, 'sources', '[]'::jsonb),
             md5(c.content), octet_length(c.content), now() - make_interval(days => ${REVISIONS - r}::int)
      from pages p, lateral (select '---' || chr(10) || 'title: "' || p.title || '"' || chr(10) || 'kind: concept' || chr(10) || 'summary: A bench page.' || chr(10) || '---' || chr(10) || chr(10)
             || repeat('Cuttings root in water, and gardens feed the nursery. ', 18) || 'Revision ' || ${r}::int || ' links [[' || p.title || ']].' || chr(10) as content) c`;
    await sql`update pages p set latest_revision_id = r.id from revisions r where r.page_id = p.id and r.parent_id is not distinct from p.latest_revision_id`;
  }
  await sql`analyze`;
}

/** A wikitext dump of IMPORT_PAGES pages with REVISIONS revisions each. */
async function importDump(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n');
  let id = 1;
  for (let p = 1; p <= IMPORT_PAGES; p++) {
    out.write(`<page><title>Imported page ${p}</title><ns>0</ns><id>${p}</id>\n`);
    for (let r = 1; r <= REVISIONS; r++) {
      const text = `Cuttings root in '''water''', and ''gardens'' feed the [[Imported page ${(p % IMPORT_PAGES) + 1}|nursery]]. `.repeat(8) + `\n== Revision ${r} ==\n* one\n* two\n[[Category:Bench]]`;
      out.write(
        `<revision><id>${id++}</id><timestamp>2020-01-01T00:00:${String(r % 60).padStart(2, "0")}Z</timestamp><contributor><username>Writer ${p % 50}</username></contributor><model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text><sha1>x</sha1></revision>\n`,
      );
    }
    out.write("</page>\n");
  }
  out.end("</mediawiki>\n");
  await finished(out);
}

export async function benchData(): Promise<void> {
  await buildRenderWorker();
  const dir = await mkdtemp(path.join(tmpdir(), "propagate-bench-data-"));
  const databases: TestDatabase[] = [];
  const rows: Record<string, unknown>[] = [];
  try {
    const source = await createTestDatabase("propagate_bench_data");
    databases.push(source);
    const conn = connect(source.url, 2);
    let t = performance.now();
    await fill(conn.sql);
    rows.push({ what: `fill (bulk SQL): ${PAGES} pages, ${PAGES * REVISIONS} revisions`, seconds: seconds(t) });

    const backup = path.join(dir, "wiki.backup.gz");
    t = performance.now();
    const gzip = createGzip();
    const written = pipeline(gzip, createWriteStream(backup));
    await writeBackup(conn.sql, gzip);
    gzip.end();
    await written;
    rows.push({ what: "backup", seconds: seconds(t), mb: await mb(backup) });

    const target = await createTestDatabase("propagate_bench_restore", { migrate: false });
    databases.push(target);
    const restoreConn = connect(target.url, 1);
    t = performance.now();
    const lines = new PassThrough();
    const reading = pipeline(createReadStream(backup), createGunzip(), lines);
    await restoreBackup(restoreConn, lines);
    await reading;
    rows.push({ what: "restore (into an empty database)", seconds: seconds(t) });
    await restoreConn.sql.end();

    const xml = path.join(dir, "wiki.xml");
    t = performance.now();
    const out = createWriteStream(xml);
    await writeMediawikiExport(conn.sql, out, { siteName: "Bench", base: "http://bench.example/" });
    out.end();
    await finished(out);
    rows.push({ what: "export: MediaWiki XML 0.11", seconds: seconds(t), mb: await mb(xml) });

    t = performance.now();
    await writeGitExport(conn.sql, path.join(dir, "git"));
    rows.push({ what: "export: git (fast-import, one commit per revision)", seconds: seconds(t) });
    await conn.sql.end();

    const dump = path.join(dir, "import.xml");
    await importDump(dump);
    const empty = await createTestDatabase("propagate_bench_import");
    databases.push(empty);
    const importConn = connect(empty.url, 2);
    t = performance.now();
    const result = await importMediawiki(importConn.db, createReadStream(dump), { source: "bench" });
    const s = seconds(t);
    const perSecond = result.revisions / s;
    rows.push({
      what: `import: ${result.imported.length} wikitext pages, ${result.revisions} revisions (conversion, MDX check, page updater)`,
      seconds: s,
      revisionsPerSecond: +perSecond.toFixed(1),
      extrapolatedSecondsFor: `${Math.round((PAGES * REVISIONS) / perSecond)} s for ${PAGES * REVISIONS} revisions`,
    });
    await importConn.sql.end();
    await writeFile(path.join(dir, "done"), "");
  } finally {
    for (const d of databases) await d.drop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await closePool();
  }
  report("data", rows, { pages: PAGES, revisionsPerPage: REVISIONS, importPages: IMPORT_PAGES });
}
