import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, inject, it } from "vitest";
import { sweepSpools } from "@/lib/http/spool";
import { buildUser } from "../../support/factories";
import { resetDatabase, testDb, testSql } from "../../support/db";

afterAll(resetDatabase);

const spoolDirsOf = (pid: number) => readdirSync(tmpdir()).filter((name) => name.startsWith(`propagate-upload-${pid}-`));

/** Whether process `pid` has its spooled upload open read-only: the blob store's put reads it (the spool's writer opened it write-only). */
function readingSpooledFile(pid: number): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      if (!/\/propagate-upload-\d+-[^/]+\/upload$/.test(readlinkSync(`/proc/${pid}/fd/${fd}`))) return false;
      const flags = parseInt(/^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8"))?.[1] ?? "1", 8);
      return (flags & 3) === 0;
    } catch {
      return false;
    }
  });
}

/** Bytes process `pid` has read (read and pread alike), from /proc. */
const bytesRead = (pid: number) => Number(/^rchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);

describe("a server killed while it writes an upload", () => {
  it("leaves no blob, chunk, upload or page behind (the transaction never committed), and its spooled file is swept", async () => {
    await resetDatabase();
    const user = await buildUser(testDb(), { role: "editor" });
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/support/scripts/upload-large-file.ts", inject("databaseUrl"), user.id, "Killed.wav", String(60 * 2 ** 20)], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    // Wait until the blob's chunks are being read from the file into the transaction (2 MiB of them), then kill the whole process group (its media worker too).
    const deadline = Date.now() + 60_000;
    let startedAt: number | null = null;
    let read = 0;
    while (Date.now() < deadline && child.exitCode === null) {
      if (startedAt === null && readingSpooledFile(child.pid!)) startedAt = bytesRead(child.pid!);
      if (startedAt !== null) read = bytesRead(child.pid!) - startedAt;
      if (read >= 2 * 2 ** 20) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(read, output).toBeGreaterThanOrEqual(2 * 2 ** 20);
    expect(readingSpooledFile(child.pid!)).toBe(true);
    expect(spoolDirsOf(child.pid!).length).toBe(1);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    expect(output).not.toContain("uploaded");
    // The database ends the dead client's session and rolls its transaction back (PostgreSQL, and the embedded server alike).
    const sql = testSql();
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
