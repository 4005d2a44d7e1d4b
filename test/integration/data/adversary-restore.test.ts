import { readFile, writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupWikiCommand, restoreWikiCommand } from "@/lib/commands/data/backup-wiki";
import { connect } from "@/lib/db/client";
import { exportJobFile, exportsDir } from "@/lib/data/export-jobs";
import { dataJobs } from "@/lib/db/schema";
import { buildWiki } from "../../support/data";
import { resetDatabase, testDb } from "../../support/db";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { run } from "../../support/commands";

/** The adversary pass on issue 19: backups that were cut short or tampered with. */
const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
let dir: string;
let lines: string[];
const fresh: TestDatabase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "propagate-adversary-restore-"));
  await resetDatabase();
  await buildWiki(testDb());
  const file = path.join(dir, "good.gz");
  await run(testDb(), backupWikiCommand, operator, { out: file });
  lines = gunzipSync(await readFile(file)).toString("utf8").split("\n");
});
afterAll(async () => {
  for (const d of fresh) await d.drop();
});

/** Restore `content` (gzipped as is) into a new empty database; the error message, or null, and how many pages it holds after. */
async function restore(name: string, content: Buffer) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const d = await createTestDatabase("propagate_adv_restore", { migrate: false });
  fresh.push(d);
  const conn = connect(d.url, 1);
  try {
    const error = await run(conn.db, restoreWikiCommand, operator, { in: file }).then(
      () => null,
      (e: Error) => `${e.constructor.name}: ${e.message}`,
    );
    const [row] = await conn.sql<{ n: number }[]>`select count(*)::int as n from pages`.catch(() => [{ n: -1 }]);
    return { error, pages: row!.n };
  } finally {
    await conn.sql.end();
  }
}

describe("restore of a damaged or tampered backup", () => {
  it("a file cut short is refused as damaged, and nothing of it stays", async () => {
    const good = gzipSync(lines.join("\n"));
    expect(await restore("cut.gz", good.subarray(0, Math.floor(good.length * 0.6)))).toEqual({
      error: "AppError: The backup file is damaged or cut short (unexpected end of file); nothing was restored.",
      pages: 0,
    });
  });

  it("a line that is not JSON, or not a row, is named; nothing is restored", async () => {
    const pagesAt = lines.findIndex((l) => l === '{"table":"pages"}');
    const bad = [...lines];
    bad[pagesAt + 1] = "{not json";
    expect(await restore("badjson.gz", gzipSync(bad.join("\n")))).toEqual({ error: `AppError: Line ${pagesAt + 2} of the backup is not JSON: the file is damaged; nothing was restored.`, pages: 0 });
    const array = [...lines.slice(0, pagesAt + 1), "[1,2]", ...lines.slice(pagesAt + 1)];
    expect(await restore("array.gz", gzipSync(array.join("\n")))).toEqual({ error: `AppError: Line ${pagesAt + 2} of the backup is not a row: the file is damaged; nothing was restored.`, pages: 0 });
  });

  it("a row the schema refuses names its table; nothing is restored", async () => {
    const pagesAt = lines.findIndex((l) => l === '{"table":"pages"}');
    const edited = [...lines];
    edited[pagesAt + 1] = JSON.stringify({ ...JSON.parse(edited[pagesAt + 1]!), id: null });
    const outcome = await restore("null-id.gz", gzipSync(edited.join("\n")));
    expect(outcome.error).toMatch(/^AppError: The backup's rows of table pages \(before line \d+\) do not fit the schema: null value in column "id"/);
    expect(outcome.pages).toBe(0);
  });

  it("a header with a negative migration count or no list of tables is refused before anything is created", async () => {
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    const damaged = "AppError: This backup's header is damaged (its migrations or tables are not what a backup writes); nothing was restored.";
    // migrations: -1 made the restore migrate to all but the last migration (slice(0, -1)).
    expect(await restore("neg.gz", gzipSync([JSON.stringify({ ...header, migrations: -1 }), ...lines.slice(1)].join("\n")))).toEqual({ error: damaged, pages: -1 });
    expect(await restore("half.gz", gzipSync([JSON.stringify({ ...header, migrations: 2.5 }), ...lines.slice(1)].join("\n")))).toEqual({ error: damaged, pages: -1 });
    expect(await restore("tables.gz", gzipSync([JSON.stringify({ ...header, tables: "pages" }), ...lines.slice(1)].join("\n")))).toEqual({ error: damaged, pages: -1 });
  });

  it("an export job row that names a file outside the exports folder (as an edited backup can) serves no file", async () => {
    const admin = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
    const rows = await testDb()
      .insert(dataJobs)
      .values([
        { kind: "export", format: "mediawiki", status: "done", file: "/etc/passwd" },
        { kind: "export", format: "mediawiki", status: "done", file: path.join(exportsDir(), "..", "secret.xml") },
        { kind: "export", format: "git", status: "done", file: path.join(exportsDir(), "propagate-7.bundle") },
      ])
      .returning({ id: dataJobs.id });
    const files = await Promise.all(rows.map((r) => exportJobFile(testDb(), admin, r.id).then((j) => j.file)));
    expect(files).toEqual([null, null, path.join(exportsDir(), "propagate-7.bundle")]);
  });
});
