/**
 * Uploads stream (the front's spoolBody, lib/edge/multipart.ts,
 * lib/http/spool.ts, BlobStore.put from a file): neither the front server's
 * nor the application server's memory grows with the size of the files they
 * receive. A wiki of its own with a 40 MB limit for audio, so that the front
 * server's upload budget (256 MiB) admits six 39 MB uploads at once; before
 * streaming, the front held each body twice (its chunks and their
 * concatenation) and the application server about 4.6 times.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/tokens";
import { CHUNK_BYTES } from "@/lib/media/blob-store";
import { connect } from "@/lib/db/client";
import { SERVED_FILE } from "@/lib/db/embedded";
import { createUserAsOperator } from "@/lib/users/accounts";
import { startApp, treeMemory } from "../support/app-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { sendUpload, uploadBurst } from "../support/upload-burst";

const MiB = 2 ** 20;
let app: Awaited<ReturnType<typeof startApp>>;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let token = "";

describe("six 39 MB uploads at once", () => {
  beforeAll(async () => {
    const env: Record<string, string> = { AUTH_SECRET: "media-memory-0123456789-0123456789-0123", MEDIA_MAX_AV_MB: "40", MEDIA_QUOTA_MB: "10000", TRUST_PROXY: "on" };
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase("propagate_media_memory", { migrate: false });
      env.DATABASE_URL = database.url;
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), "propagate-media-memory-"));
      env.PROPAGATE_DATA_DIR = dataDir;
    }
    // The shared e2e setup has built the wiki already.
    app = await startApp(env, "/api/health", 120_000, ["--no-build"]);
    // On the embedded database, the launcher serves it at the address it wrote beside it (lib/db/embedded.ts).
    const url = database?.url ?? (JSON.parse(readFileSync(path.join(dataDir!, SERVED_FILE), "utf8")) as { url: string }).url;
    const { db, sql } = connect(url, 1);
    const user = await createUserAsOperator(db, { name: "Memory Uploader", email: "memory@e2e.example", role: "editor" });
    token = (await createApiToken(db, user.id, "memory", "write")).token;
    await sql.end();
    // One upload first: the media lane's process, sharp and the parsers are loaded before the baseline.
    expect((await sendUpload(app.base, token, "Warm up.wav", 2 * MiB, 99)).status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("are all stored while the front and application servers grow by far less than they receive, and leave no temporary file", async () => {
    const count = 6;
    const bytes = 39 * 1_000_000;
    // From six addresses: one address holds at most one largest upload's worth of the front's upload budget at once.
    const burst = await uploadBurst({ base: app.base, token, pid: app.child.pid!, count, bytes, clients: true });
    expect(burst.statuses, burst.bodies.join("\n")).toEqual(Array(count).fill(201));
    const grew = burst.peak.appServerRssMiB - burst.before.appServerRssMiB;
    console.log(JSON.stringify({ ...burst, bodies: undefined, grewMiB: grew }));
    // 234 MB went through it; before streaming it held each body about 4.6 times (about 180 MB an upload, 1 GB here).
    // Now each upload in flight holds a chunk and the multipart stream's buffers; the rest of the growth
    // is garbage the collector has not yet taken (each chunk's INSERT is hex text: postgres.js sends
    // bytea so), which depends on when V8 collects (and how loaded the machine is), not on the files' size:
    // 66-118 MiB in seven runs. The bound: 64 chunks (32 MiB) an upload at once.
    expect(grew).toBeLessThan((count * 64 * CHUNK_BYTES) / MiB);
    // The front server writes each upload's body to a temporary file before passing it on (lib/http/request-body.ts, spoolBody).
    expect(burst.peak.frontRssMiB - burst.before.frontRssMiB).toBeLessThan((192 * CHUNK_BYTES) / MiB);
    const ours = treeMemory(app.child.pid!).map((p) => `propagate-upload-${p.pid}-`);
    expect(readdirSync(tmpdir()).filter((name) => ours.some((prefix) => name.startsWith(prefix)))).toEqual([]);
  }, 120_000);
});
