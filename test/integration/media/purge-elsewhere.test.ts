/**
 * A file hidden on one server is purged from every other server's caches:
 * the purge's NOTIFY reaches their fronts' listeners, which drop the bytes
 * from their media cache and tell their application to forget its copies.
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { hideFileRevisionCommand } from "@/lib/commands/media/hide-file-revision";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { frontPurger, MediaCache } from "@/lib/http/media-cache";
import { mediaTag, PAGE_CACHE_KEY } from "@/lib/http/page-cache-key";
import { listenForPurges } from "@/lib/http/purge-listener";
import { mediaHeaders } from "@/lib/media/serve";
import { closePool } from "@/lib/workers/pool";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";
import { png } from "../../support/media-files";

beforeEach(resetDatabase);
afterAll(closePool);

/** Keep an application's answer for a file in a front's media cache, as scripts/server.ts does. */
function keep(cache: MediaCache, sha256: string, body: Buffer): void {
  const answer = new EventEmitter() as IncomingMessage;
  const headers = { ...mediaHeaders({ mime: "image/png", etag: `"${sha256}"`, name: "x.png" }), "Content-Length": String(body.length) };
  Object.assign(answer, { statusCode: 200, rawHeaders: Object.entries(headers).flat(), headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), complete: true });
  cache.keep(sha256, answer, cache.beginFill());
  answer.emit("data", body);
  answer.emit("end");
}

describe("hiding a file reaches other servers", () => {
  // Embedded PGlite serves one connection, so a second process cannot listen there; this needs a server.
  it.skipIf(inject("databaseMode") === "embedded")("their fronts drop the bytes and tell their applications to forget them", async () => {
    const db = testDb();
    // This test process is the server where the moderator acts; it has no front of its own.
    delete (globalThis as Record<symbol, unknown>)[PAGE_CACHE_KEY];
    const uploaded = await run(db, uploadFileCommand, actorOf(await buildUser(db)), { name: "Elsewhere.png", file: await png(14, 14) });
    const media = new MediaCache({ maxBytes: 2 ** 20 });
    keep(media, uploaded.sha256, Buffer.alloc(100, 1));
    expect(media.get(uploaded.sha256)).toBeDefined();
    const forgotten: string[][] = [];
    const listener = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    try {
      await listenForPurges(listener, frontPurger({ pages: null, media, forgetInApp: async (tags) => void forgotten.push(tags) }));
      await run(db, hideFileRevisionCommand, actorOf(await buildUser(db, { role: "moderator" })), { revisionId: uploaded.revision });
      await expect.poll(() => media.get(uploaded.sha256), { timeout: 5000 }).toBeUndefined();
      expect(forgotten).toContainEqual([mediaTag(uploaded.sha256)]);
    } finally {
      await listener.end({ timeout: 2 });
    }
  });
});
