/**
 * Adversary round 2 on streaming uploads: the wiki killed (SIGKILL) in the
 * middle of uploads. Its temporary files stay behind (nothing runs after a
 * SIGKILL) until the next upload of a new process sweeps them; no blob, chunk
 * or upload row of an unfinished upload is ever written. TMPDIR of the
 * spec's own.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { png } from "../support/media-files";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let database: TestDatabase;
let temp: string;
let token: string;
const started: Awaited<ReturnType<typeof startApp>>[] = [];
const env = () => ({ AUTH_SECRET: "adversary-kill-17-0123456789-0123456789-01", DATABASE_URL: database.url, TMPDIR: temp });

beforeAll(async () => {
  temp = mkdtempSync(path.join(tmpdir(), "adv17-kill-"));
  database = await createTestDatabase("propagate_adv17_kill", { migrate: false });
  started.push(await startApp(env(), "/api/health", 180_000, ["--no-build"]));
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const [user] = await sql<{ id: string }[]>`insert into users (name, email, role) values ('Kill Tester', 'kill@adv17.example', 'editor') returning id`;
    token = "prop_" + randomBytes(32).toString("base64url");
    await sql`insert into api_tokens (user_id, name, scope, token_hash, prefix, expires_at) values (${user!.id}, 'adv17', 'write', ${createHash("sha256").update(token).digest("hex")}, ${token.slice(0, 11)}, now() + interval '1 day')`;
  } finally {
    await sql.end();
  }
}, 240_000);

afterAll(async () => {
  for (const app of started) await app.stop().catch(() => {});
  await database?.drop();
  rmSync(temp, { recursive: true, force: true });
});

const spools = () => readdirSync(temp).filter((name) => name.startsWith("propagate-upload-"));

function stalledUpload(base: string, size: number): Socket {
  const port = Number(new URL(base).port);
  const socket = connect(port, "127.0.0.1", () => {
    socket.write(`POST /api/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`);
    socket.write(Buffer.alloc(size - 10, 0x61));
  });
  socket.on("error", () => {});
  return socket;
}

describe("the wiki killed mid-upload (adversary round 2)", () => {
  it("leaves temporary files that the next process's first upload sweeps, and no rows", { timeout: 300_000 }, async () => {
    const first = started[0]!;
    const sockets = [stalledUpload(first.base, 3 * 2 ** 20), stalledUpload(first.base, 2 ** 20)];
    await expect.poll(() => spools().length, { timeout: 10_000 }).toBeGreaterThan(0);
    // Everything the start script began, its process group (the application server is in a group of its own: it exits when its front does).
    process.kill(-first.child.pid!, "SIGKILL");
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const left = spools();
    const second = await startApp(env(), "/api/health", 180_000, ["--no-build"]);
    started.push(second);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(await png(8, 8, { r: 1, g: 2, b: 3 }))]), "After.png");
    const res = await fetch(`${second.base}/api/files`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status, await res.text()).toBe(201);
    await expect.poll(spools, { timeout: 5000 }).toEqual([]);
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      const [{ blobs, uploads }] = (await sql`select (select count(*)::int from media_blobs) as blobs, (select count(*)::int from file_uploads) as uploads`) as unknown as [{ blobs: number; uploads: number }];
      expect({ blobs, uploads }).toEqual({ blobs: 1, uploads: 1 });
    } finally {
      await sql.end();
    }
    expect(left.length, "the kill left the bodies being read behind").toBeGreaterThan(0);
  });
});
