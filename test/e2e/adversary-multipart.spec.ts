/**
 * Adversary round 2 on streaming uploads: malformed multipart bodies from a
 * signed-in client (an API token), straight at the application's parser
 * (busboy). Each must be a 4xx, never a 500 nor a hang, and leave no
 * temporary file. The wiki runs with a TMPDIR of this spec's own.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase;
let temp: string;
let token: string;

beforeAll(async () => {
  temp = mkdtempSync(path.join(tmpdir(), "adv17-mp-"));
  database = await createTestDatabase("propagate_adv17_mp", { migrate: false });
  app = await startApp({ AUTH_SECRET: "adversary-multipart-17-0123456789-012345678", DATABASE_URL: database.url, TMPDIR: temp }, "/api/health", 180_000, ["--no-build"]);
  // An editor with a write token, written straight into the database.
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const [user] = await sql<{ id: string }[]>`insert into users (name, email, role) values ('Multipart Tester', 'multipart@adv17.example', 'editor') returning id`;
    token = "prop_" + randomBytes(32).toString("base64url");
    await sql`insert into api_tokens (user_id, name, scope, token_hash, prefix, expires_at) values (${user!.id}, 'adv17', 'write', ${createHash("sha256").update(token).digest("hex")}, ${token.slice(0, 11)}, now() + interval '1 day')`;
  } finally {
    await sql.end();
  }
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
  rmSync(temp, { recursive: true, force: true });
});

const spools = () => readdirSync(temp).filter((name) => name.startsWith("propagate-upload-"));

async function post(body: Buffer | string, boundary = "x"): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${app.base}/api/files`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": `multipart/form-data; boundary=${boundary}` }, body: typeof body === "string" ? body : new Uint8Array(body) });
  return { status: res.status, text: (await res.text()).slice(0, 200), ms: Math.round(performance.now() - started) };
}

const part = (name: string, value: string, boundary = "x") => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (bytes: string, boundary = "x") => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.gif"\r\nContent-Type: image/gif\r\n\r\n${bytes}\r\n`;

describe("malformed multipart bodies (adversary round 2)", () => {
  it("each is a 4xx quickly, and leaves no temporary file", { timeout: 120_000 }, async () => {
    const cases: Record<string, Buffer | string | [string, string]> = {
      "10,000 fields": Array.from({ length: 10_000 }, (_, i) => part(`f${i}`, "v")).join("") + "--x--\r\n",
      "two files": filePart("GIF89a") + filePart("GIF89a") + "--x--\r\n",
      "a 1 MB part header": `--x\r\nContent-Disposition: form-data; name="file"; filename="${"a".repeat(2 ** 20)}.gif"\r\n\r\nGIF89a\r\n--x--\r\n`,
      "3,000 header lines in a part": `--x\r\n${"X-A: b\r\n".repeat(3000)}Content-Disposition: form-data; name="name"\r\n\r\nv\r\n--x--\r\n`,
      "a 100 KB field": part("summary", "s".repeat(100_000)) + "--x--\r\n",
      "no closing boundary": filePart("GIF89a" + "a".repeat(100_000)).slice(0, -2),
      "no boundary at all": ["", "x"],
      "a boundary of 2,000 characters": [filePart("GIF89a", "b".repeat(2000)) + `--${"b".repeat(2000)}--\r\n`, "b".repeat(2000)],
      "a part without Content-Disposition": "--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n",
      "nested multipart/mixed": `--x\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: multipart/mixed; boundary=y\r\n\r\n--y\r\nContent-Disposition: file; filename="a.gif"\r\n\r\nGIF89a\r\n--y--\r\n\r\n--x--\r\n`,
      "binary garbage": randomBytes(200_000),
    };
    const results: Record<string, { status: number; text: string; ms: number }> = {};
    for (const [what, body] of Object.entries(cases)) {
      results[what] = Array.isArray(body) ? await post(body[0], body[1]) : await post(body);
    }
    for (const [what, result] of Object.entries(results)) {
      expect(result.status, `${what}: ${result.text}`).toBeGreaterThanOrEqual(400);
      expect(result.status, `${what}: ${result.text}`).toBeLessThan(500);
      expect(result.ms, what).toBeLessThan(10_000);
    }
    await expect.poll(spools, { timeout: 5000 }).toEqual([]);
  });
});
