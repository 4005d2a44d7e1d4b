/**
 * Adversary round 2 on streaming uploads: temporary files of uploads that
 * never finish. The wiki runs with a TMPDIR of this spec's own, so what its
 * processes leave there can be counted.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase;
let port: number;
let temp: string;

beforeAll(async () => {
  temp = mkdtempSync(path.join(tmpdir(), "adv17-tmp-"));
  database = await createTestDatabase("propagate_adv17_abort", { migrate: false });
  app = await startApp({ AUTH_SECRET: "adversary-upload-17-0123456789-0123456789", DATABASE_URL: database.url, TMPDIR: temp }, "/api/health", 180_000, ["--no-build"]);
  port = Number(new URL(app.base).port);
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await database?.drop();
  rmSync(temp, { recursive: true, force: true });
});

const spools = () => readdirSync(temp).filter((name) => name.startsWith("propagate-upload-"));

/** Send the start of an upload's body (`sent` of `declared` bytes), then wait `ms`, then leave. */
function abandonedUpload(declared: number, sent: number, ms: number, head = ""): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`POST /api/files HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${declared}\r\n\r\n${head}`);
      socket.write(Buffer.alloc(sent - Buffer.byteLength(head), 0x61), () => {
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, ms);
      });
    });
    socket.on("error", reject);
  });
}

describe("uploads that never finish leave no temporary files (adversary round 2)", () => {
  it("a client that leaves mid-body: its spooled part is removed at once", { timeout: 60_000 }, async () => {
    const leaving = Promise.all(Array.from({ length: 6 }, (_, i) => abandonedUpload(10 * 2 ** 20, (i + 1) * 2 ** 20, 1500)));
    // While they send, their bodies are spooled here (the spec does see the wiki's temporary files).
    await expect.poll(() => spools().length, { timeout: 5000 }).toBeGreaterThan(0);
    await leaving;
    await expect.poll(spools, { timeout: 5000 }).toEqual([]);
  });

  it("a malformed body (no closing boundary) that reaches the application leaves nothing either", { timeout: 60_000 }, async () => {
    const head = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n';
    const res = await fetch(`${app.base}/api/files`, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: Buffer.concat([Buffer.from(head), Buffer.alloc(2 ** 20, 0x61)]) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await expect.poll(spools, { timeout: 5000 }).toEqual([]);
  });
});
