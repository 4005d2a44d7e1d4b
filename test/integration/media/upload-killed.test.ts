import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, inject, it } from "vitest";
import { sweepSpools } from "@/lib/http/spool";
import { buildUser } from "../../support/factories";
import { resetDatabase, testDb, testSql } from "../../support/db";

afterAll(resetDatabase);

const spoolDirsOf = (pid: number) => readdirSync(tmpdir()).filter((name) => name.startsWith(`propagate-upload-${pid}-`));

// pg_stat_activity shows the other process's statements: PostgreSQL only (embedded PGlite is one session).
describe.skipIf(inject("databaseMode") === "embedded")("a server killed while it writes an upload", () => {
  it("leaves no blob, chunk, upload or page behind (the transaction never committed), and its spooled file is swept", async () => {
    await resetDatabase();
    const user = await buildUser(testDb(), { role: "editor" });
    const sql = testSql();
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/support/scripts/upload-large-file.ts", inject("databaseUrl"), user.id, "Killed.wav", String(60 * 2 ** 20)], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Wait until the chunks are being inserted, then kill the whole process group (its media worker too).
    const deadline = Date.now() + 60_000;
    let writing = false;
    while (!writing && Date.now() < deadline && child.exitCode === null) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'insert into "media_chunks"%' and pid <> pg_backend_pid()`;
      writing = (row?.n ?? 0) > 0;
      if (!writing) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(writing, output).toBe(true);
    expect(spoolDirsOf(child.pid!).length).toBe(1);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    expect(output).not.toContain("uploaded");
    // PostgreSQL ends the dead client's session and rolls its transaction back.
    for (let i = 0; i < 500; i++) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'insert into "media_chunks"%' and pid <> pg_backend_pid()`;
      if (row?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [counts] = await sql<{ blobs: number; chunks: number; uploads: number; pages: number }[]>`
      select (select count(*)::int from media_blobs) as blobs, (select count(*)::int from media_chunks) as chunks,
             (select count(*)::int from file_uploads) as uploads, (select count(*)::int from pages where slug = 'File:Killed.wav') as pages`;
    expect(counts).toEqual({ blobs: 0, chunks: 0, uploads: 0, pages: 0 });
    // The killed process's temporary file outlived it; the next spool of any process removes it.
    expect(spoolDirsOf(child.pid!).length).toBe(1);
    await sweepSpools();
    expect(spoolDirsOf(child.pid!)).toEqual([]);
  }, 90_000);
});
