/**
 * Attacks on media that got through (issue #17's adversary pass): a burst of
 * concurrent uploads passed the uploader's quota, since each was checked
 * before any was recorded; and a file's address could name its download
 * anything (…/<pdf>/invoice.html saved an HTML page from the wiki's origin).
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { fileUploads } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { downloadName, mediaHeaders } from "@/lib/media/serve";
import { closePool } from "@/lib/workers/pool";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";

beforeEach(resetDatabase);
afterEach(() => {
  delete process.env.MEDIA_QUOTA_MB;
  resetEnv();
});
afterAll(closePool);

/** A silent 8-bit mono WAV of `bytes` samples, each file different by `fill`. */
function wav(bytes: number, fill: number): Uint8Array {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + bytes, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(bytes, 40);
  return new Uint8Array(Buffer.concat([header, Buffer.alloc(bytes, fill)]));
}

describe("the upload quota under concurrency", () => {
  it("six uploads at once, each alone within the quota, store no more than the quota", async () => {
    process.env.MEDIA_QUOTA_MB = "1";
    resetEnv();
    const db = testDb();
    const actor = actorOf(await buildUser(db, { role: "editor" }));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => run(db, uploadFileCommand, actor, { name: `Burst ${i}.wav`, file: wav(400_000, i + 1) })),
    );
    const [stored] = await db
      .select({ bytes: sql<string>`coalesce(sum(${fileUploads.size}), 0)`, count: sql<number>`count(*)::int` })
      .from(fileUploads)
      .where(eq(fileUploads.uploaderId, actor.id));
    expect(Number(stored?.bytes)).toBeLessThanOrEqual(1_000_000);
    expect(stored?.count).toBe(outcomes.filter((o) => o.status === "fulfilled").length);
    expect(stored?.count).toBe(2);
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") continue;
      expect(outcome.reason).toBeInstanceOf(AppError);
      expect((outcome.reason as AppError).details.reason).toBe("quota");
    }
  });
});

describe("the name a stored file is saved under", () => {
  it("always ends in an extension of the file's own type", () => {
    expect(downloadName("invoice.html", "application/pdf")).toBe("invoice.html.pdf");
    expect(downloadName("setup.exe", "image/png")).toBe("setup.exe.png");
    expect(downloadName("Garden.JPEG", "image/jpeg")).toBe("Garden.JPEG");
    expect(downloadName("talk.oga", "audio/ogg")).toBe("talk.oga");
    expect(downloadName("noext", "text/vtt")).toBe("noext.vtt");
    expect(mediaHeaders({ mime: "application/pdf", etag: '"x"', name: "a.html" })["Content-Disposition"]).toBe(`attachment; filename="a.html.pdf"; filename*=UTF-8''a.html.pdf`);
  });

  it("has no control, invisible or direction-changing characters, nor path separators", () => {
    expect(downloadName("x\u202egnp.exe", "image/png")).toBe("x_gnp.exe.png");
    expect(downloadName("a\r\nb\u0000.png", "image/png")).toBe("a__b_.png");
    expect(downloadName("../../etc/passwd", "image/png")).toBe(".._.._etc_passwd.png");
    expect(downloadName("..\\x.png", "image/png")).toBe(".._x.png");
  });

  it("keeps its extension when a long name is cut", () => {
    const name = downloadName(`${"a".repeat(5000)}.webm`, "video/webm");
    expect(name.length).toBe(200);
    expect(name.endsWith("a.webm")).toBe(true);
  });
});
