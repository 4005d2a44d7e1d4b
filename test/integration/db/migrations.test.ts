import { inject, describe, expect, it } from "vitest";
import { runMigrations } from "@/lib/db/migrate";
import { closeTestDb, testSql } from "../../support/db";
import { readFileSync } from "node:fs";

describe("migrations", () => {
  it("are applied at setup and re-running them changes nothing", async () => {
    const journal = JSON.parse(readFileSync("drizzle/meta/_journal.json", "utf8")) as { entries: unknown[] };
    await closeTestDb();
    const before = await runMigrations(inject("databaseUrl"));
    const again = await runMigrations(inject("databaseUrl"));
    expect(before).toBe(journal.entries.length);
    expect(again).toBe(before);
  });

  it("create the core tables", async () => {
    const rows = await testSql()<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public' order by 1`;
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(["users", "accounts", "sessions", "verification_tokens", "pages", "revisions", "page_links", "page_tags", "rendered"]),
    );
  });
});
