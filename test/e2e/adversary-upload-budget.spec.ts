/**
 * Adversary round 2 on streaming uploads: the front spools an upload's body
 * to disk before the application sees it (so before anyone is signed in or
 * not), counting it against an upload budget of its own (256 MiB here). One
 * client alone, signed in or not, must not be able to spend that budget and
 * leave everyone else's uploads answered 503 until its bodies time out.
 * Clients are told apart by X-Forwarded-For (TRUST_PROXY=on).
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase;
let port: number;
const held: Socket[] = [];

beforeAll(async () => {
  database = await createTestDatabase("propagate_adv17_budget", { migrate: false });
  // Uploads of 20 MB at most: the front's upload budget is its floor, 256 MiB.
  app = await startApp(
    { AUTH_SECRET: "adversary-upload-17-0123456789-0123456789", DATABASE_URL: database.url, TRUST_PROXY: "on", MEDIA_MAX_IMAGE_MB: "20", MEDIA_MAX_AV_MB: "20", MEDIA_MAX_DOCUMENT_MB: "20" },
    "/api/health",
    180_000,
    ["--no-build"],
  );
  port = Number(new URL(app.base).port);
}, 240_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await app?.stop();
  await database?.drop();
});

/** An upload from `client` that sends all but the last byte of `size` and then waits; resolves once it was all written. */
function stalledUpload(client: string, size: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`POST /api/files HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: ${client}\r\nCookie: next-auth.session-token=made-up\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`);
      const chunk = Buffer.alloc(2 ** 20, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < size - 1) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - 1 - sent));
          sent += part.length;
          if (!socket.write(part)) return socket.once("drain", pump);
        }
        resolve(socket);
      };
      pump();
    });
    socket.on("error", reject);
    held.push(socket);
  });
}

async function smallUpload(client: string): Promise<number> {
  const form = new FormData();
  form.set("file", new Blob([Buffer.from("GIF89a")]), "Tiny.gif");
  form.set("name", "Tiny.gif");
  const res = await fetch(`${app.base}/api/files`, { method: "POST", headers: { "X-Forwarded-For": client }, body: form });
  return res.status;
}

describe("the front's upload budget against one client (adversary round 2)", () => {
  it("one client's stalled uploads do not leave another client's upload answered 503", { timeout: 180_000 }, async () => {
    // Before: the other client reaches the application (which refuses an anonymous upload: 4xx, not 503).
    const before = await smallUpload("203.0.113.2");
    expect([401, 403]).toContain(before);
    const size = 20 * 10 ** 6;
    // Thirteen stalled uploads of 20 MB from one address, and one more that takes the 256 MiB budget but a few bytes.
    const rest = 256 * 2 ** 20 - 13 * (size - 1) - 8 + 1;
    await Promise.allSettled([...Array.from({ length: 13 }, () => stalledUpload("203.0.113.1", size)), stalledUpload("203.0.113.1", rest)]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await smallUpload("203.0.113.2")).toBe(before);
  });
});
