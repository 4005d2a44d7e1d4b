/**
 * `npm run bench -- page-weight`: how many bytes a page view sends, and how
 * much of it is the React Server Components payload (the inline
 * `self.__next_f.push(...)` scripts), for a seeded page (Adoption) and a 50 KB
 * article. Uncompressed HTML, as the browser parses it. Issue 14's target: a
 * 50 KB article page is at most 100 KB of HTML.
 */
import { connect } from "@/lib/db/client";
import { contentImportUser } from "@/lib/users/system-user";
import { savePage } from "@/lib/wiki/page-updater";
import { closePool } from "@/lib/workers/pool";
import { createTestDatabase } from "../test/support/test-database";
import { pageBody, startApp } from "./http";
import { report, rng } from "./lib";

/** Bytes of the page, and of the RSC payload scripts in it. */
export function weigh(html: string): { htmlBytes: number; payloadBytes: number; payloadShare: number } {
  const htmlBytes = Buffer.byteLength(html);
  let payloadBytes = 0;
  for (const match of html.matchAll(/<script[^>]*>self\.__next_f\.push\([^<]*<\/script>/g)) payloadBytes += Buffer.byteLength(match[0]);
  return { htmlBytes, payloadBytes, payloadShare: +(payloadBytes / htmlBytes).toFixed(2) };
}

export async function benchPageWeight(): Promise<void> {
  const database = await createTestDatabase("propagate_bench_weight");
  const { db, sql } = connect(database.url, 2);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    app = await startApp({ DATABASE_URL: database.url, AUTH_SECRET: "bench-secret-0123456789-0123456789-0123456789" });
    const system = await contentImportUser(db);
    const body = pageBody(rng(14), 50_000);
    const source = ["---", 'title: "Fifty kilobytes"', "kind: article", 'summary: "A 50 KB article for the page-weight benchmark."', "tags: []", "---", "", body].join("\n");
    await savePage(db, { title: "Fifty kilobytes", content: source, authorId: system.id, baseRevisionId: null });
    const rows: Record<string, unknown>[] = [];
    for (const [name, path, sourceBytes] of [
      ["Adoption (seeded)", "/wiki/Adoption", undefined],
      ["50 KB article", "/wiki/Fifty_kilobytes", Buffer.byteLength(source)],
    ] as const) {
      await fetch(app.base + path); // the first view renders the revision in the worker
      const res = await fetch(app.base + path, { headers: { "Accept-Encoding": "identity" } });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      const html = await res.text();
      rows.push({ page: name, sourceBytes: sourceBytes ?? null, ...weigh(html) });
    }
    report("page-weight", rows, { database: database.mode, target: "50 KB article ≤ 100 KB of HTML" });
  } finally {
    await app?.stop();
    await closePool();
    await sql.end({ timeout: 5 });
    await database.drop();
  }
}
