import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { hideFileRevisionCommand } from "@/lib/commands/media/hide-file-revision";
import { showFileRevisionCommand } from "@/lib/commands/media/show-file-revision";
import { mediaTag, PAGE_CACHE_KEY, type PagePurger } from "@/lib/http/page-cache-key";
import { cachedBlob } from "@/lib/media/media-cache";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { revertPageCommand } from "@/lib/commands/wiki/revert-page";
import { fileUploads, mediaBlobs, pages, revisions } from "@/lib/db/schema";
import { resetEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { consume } from "@/lib/rate-limit";
import { blobStore, readWhole } from "@/lib/media/blob-store";
import { imageVariant } from "@/lib/media/variants";
import { savePage } from "@/lib/wiki/page-updater";
import { setField } from "@/lib/wiki/front-matter";
import { closePool } from "@/lib/workers/pool";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser } from "../../support/factories";
import { exifOf, jpegWithGps, mediaFixture, noisyJpeg, PDF, PDF_WITH_SCRIPT, pdfObjectStream, pdfOf, png, pngPolyglot, SVG, VTT, wav, ZIP } from "../../support/media-files";

beforeEach(resetDatabase);
afterEach(() => {
  for (const name of ["MEDIA_MAX_IMAGE_MB", "MEDIA_QUOTA_MB", "MEDIA_MAX_MEGAPIXELS"]) delete process.env[name];
  resetEnv();
});
afterAll(closePool);

async function uploader(role: "editor" | "moderator" | "reader" = "editor") {
  const user = await buildUser(testDb(), { role });
  return actorOf(user);
}

/** The refusal an upload meets, as status, code and the refusal's reason. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; reason?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, reason: error.details.reason, message: error.message };
    throw error;
  }
  throw new Error("the upload was accepted");
}

describe("uploading a file makes a revision of its File: page", () => {
  it("stores the bytes once under their SHA-256, and the page, revision and upload row in one go", async () => {
    const db = testDb();
    const actor = await uploader();
    const result = await run(db, uploadFileCommand, actor, { name: "Garden.png", file: await png(), summary: "A first picture" });
    expect(result).toMatchObject({ title: "File:Garden.png", mime: "image/png", width: 64, height: 48, created: true, unchanged: false });
    expect(result.path).toBe(`/media/${result.sha256}/Garden.png`);
    const [page] = await db.select().from(pages).where(eq(pages.slug, "File:Garden.png"));
    expect(page?.kind).toBe("file");
    const [revision] = await db.select().from(revisions).where(eq(revisions.id, result.revision));
    expect(revision?.fields).toMatchObject({ kind: "file", file: result.sha256, licence: "Not stated" });
    expect(revision?.summary).toBe("A first picture");
    const [upload] = await db.select().from(fileUploads).where(eq(fileUploads.revisionId, result.revision));
    expect(upload).toMatchObject({ sha256: result.sha256, uploaderId: actor.id, size: result.size });
    const blob = await blobStore().stat(db, result.sha256);
    expect(blob?.size).toBe(result.size);
  });

  it("uploading again adds a revision, and reverting brings the first file back", async () => {
    const db = testDb();
    const actor = await uploader();
    const first = await run(db, uploadFileCommand, actor, { name: "Swatch.png", file: await png(10, 10, { r: 255, g: 0, b: 0 }), licence: "CC BY-SA 4.0" });
    const second = await run(db, uploadFileCommand, actor, { name: "Swatch.png", file: await png(10, 10, { r: 0, g: 0, b: 255 }) });
    expect(second.created).toBe(false);
    expect(second.sha256).not.toBe(first.sha256);
    const [latest] = await db.select().from(revisions).where(eq(revisions.id, second.revision));
    expect(latest?.parentId).toBe(first.revision);
    expect(latest?.fields).toMatchObject({ file: second.sha256, licence: "CC BY-SA 4.0" });
    const reverted = await run(db, revertPageCommand, actor, { title: "File:Swatch.png", revisionId: first.revision });
    const [back] = await db.select().from(revisions).where(eq(revisions.id, reverted.revisionId));
    expect(back?.fields).toMatchObject({ file: first.sha256 });
    // The same bytes again change nothing.
    const again = await run(db, uploadFileCommand, actor, { name: "Swatch.png", file: await png(10, 10, { r: 255, g: 0, b: 0 }) });
    expect(again.unchanged).toBe(true);
  });

  it("strips a phone photo's GPS position, camera and XMP: exiftool finds none in the stored bytes", async () => {
    const db = testDb();
    const original = await jpegWithGps();
    expect(Object.keys(exifOf(original)).some((tag) => tag.includes("GPSLatitude"))).toBe(true);
    const result = await run(db, uploadFileCommand, await uploader(), { name: "Phone photo.jpg", file: original });
    const stored = await readWhole(db, (await blobStore().stat(db, result.sha256))!);
    const tags = exifOf(stored);
    expect(Object.keys(tags).filter((tag) => /GPS|Make|Creator|XMP/.test(tag))).toEqual([]);
    expect(tags["File:FileType"]).toBe("JPEG");
    expect(tags["File:ImageWidth"]).toBe(120);
  });

  it("keeps audio, PDFs and captions as they are, typed from their bytes", async () => {
    const db = testDb();
    const actor = await uploader();
    const vtt = await run(db, uploadFileCommand, actor, { name: "Episode 50.vtt", file: VTT });
    expect(vtt.mime).toBe("text/vtt");
    const pdf = await run(db, uploadFileCommand, actor, { name: "Handout.pdf", file: PDF });
    expect(pdf).toMatchObject({ mime: "application/pdf", size: PDF.length });
  });

  it.each([
    ["Tone.mp3", "tone.mp3", "audio/mpeg", 1.656, null],
    ["Tone.m4a", "tone.m4a", "audio/mp4", 1.628, null],
    ["Tone.opus", "tone.opus", "audio/ogg", 1.5, null],
    ["Tone.wav", "tone.wav", "audio/wav", 1.5, null],
    ["Clip.mp4", "clip.mp4", "video/mp4", 2, [64, 48]],
    ["Clip late header.mp4", "clip-moov-at-end.mp4", "video/mp4", 2, [64, 48]],
    ["Clip.webm", "clip.webm", "video/webm", 2, [64, 48]],
  ] as const)("stores %s as it is, with its duration (and a video's size) on the blob", async (name, fixture, mime, seconds, size) => {
    const db = testDb();
    const bytes = mediaFixture(fixture);
    const result = await run(db, uploadFileCommand, await uploader(), { name, file: bytes });
    expect(result).toMatchObject({ mime, size: bytes.length, width: size?.[0] ?? null, height: size?.[1] ?? null });
    expect(result.durationSeconds).toBeCloseTo(seconds, 2);
    const blob = (await blobStore().stat(db, result.sha256))!;
    expect(blob).toMatchObject({ mime, width: size?.[0] ?? null, height: size?.[1] ?? null });
    expect(blob.durationSeconds).toBeCloseTo(seconds, 2);
    expect((await readWhole(db, blob)).equals(bytes)).toBe(true);
  });

  it("stores a file of many chunks byte for byte, from the spooled file", async () => {
    const db = testDb();
    const body = Buffer.alloc(3 * 512 * 1024 + 1234);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0x7f;
    const bytes = wav(body);
    const result = await run(db, uploadFileCommand, await uploader(), { name: "Long tone.wav", file: bytes });
    const blob = (await blobStore().stat(db, result.sha256))!;
    expect(blob.size).toBe(bytes.length);
    expect(createHash("sha256").update(await readWhole(db, blob)).digest("hex")).toBe(result.sha256);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(result.sha256);
    expect(blob.durationSeconds).toBeCloseTo(body.length / 8000, 2);
  });

  it("makes resized copies in the worker and keeps them", async () => {
    const db = testDb();
    const result = await run(db, uploadFileCommand, await uploader(), { name: "Wide.jpg", file: await noisyJpeg(1000, 500) });
    const blob = (await blobStore().stat(db, result.sha256))!;
    const copy = await imageVariant(db, blob, 320);
    expect(copy).toMatchObject({ width: 320, height: 160, mime: "image/webp" });
    expect(await imageVariant(db, blob, 1280)).toBeNull();
    expect(await imageVariant(db, blob, 321)).toBeNull();
  });
});

describe("every refusal is a clear 4xx, and nothing is written", () => {
  const cases: [string, () => Promise<Buffer>, string, number, string][] = [
    ["a type the wiki does not take (ZIP)", async () => ZIP, "Archive.zip", 415, "unsupported"],
    ["bytes that do not match the name (a PNG called .jpg)", () => png(), "Liar.jpg", 415, "mismatch"],
    ["a polyglot (HTML and script after a PNG's image data)", pngPolyglot, "Poly.png", 415, "polyglot"],
    ["SVG", async () => SVG, "Drawing.svg", 415, "svg"],
    ["a PDF that runs JavaScript", async () => PDF_WITH_SCRIPT, "Script.pdf", 415, "polyglot"],
    ["a PDF whose script hides behind a #xx name escape", async () => pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/JS(app.alert(1))>>>>", "<</Type/Pages/Kids[]/Count 0>>"]), "Escaped.pdf", 415, "polyglot"],
    [
      "a PDF whose script is in a compressed object stream",
      async () => pdfOf(["<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>", "<</Type/Pages/Kids[]/Count 0>>", pdfObjectStream(4, ["<</S/JavaScript/JS(app.alert(1))>>"], (b) => deflateSync(b))]),
      "Compressed.pdf",
      415,
      "polyglot",
    ],
    ["captions whose cue holds <img onerror>", async () => Buffer.from("WEBVTT\n\n00:00.000 --> 00:01.000\n<img src=x onerror=alert(1)>\n"), "Hostile.vtt", 415, "polyglot"],
    ["a JPEG with an <img onerror> after its image data", async () => Buffer.concat([await noisyJpeg(40, 30), Buffer.from("<img src=x onerror=alert(1)>")]), "Tail.jpg", 415, "polyglot"],
    ["a damaged image", async () => Buffer.concat([(await png()).subarray(0, 60)]), "Broken.png", 422, "undecodable"],
  ];
  for (const [what, make, name, status, reason] of cases) {
    it(`refuses ${what}: ${status}`, async () => {
      const db = testDb();
      const answer = await refusal(run(db, uploadFileCommand, await uploader(), { name, file: await make() }));
      expect(answer).toMatchObject({ status, reason });
      expect(await db.select().from(pages)).toEqual([]);
      expect(await db.select().from(mediaBlobs)).toEqual([]);
    });
  }

  it("refuses an image over the configured size: 413", async () => {
    process.env.MEDIA_MAX_IMAGE_MB = "1";
    resetEnv();
    const answer = await refusal(run(testDb(), uploadFileCommand, await uploader(), { name: "Big.jpg", file: await noisyJpeg(1200, 1000) }));
    expect(answer).toMatchObject({ status: 413, code: "too_large" });
    expect(answer.message).toMatch(/at most 1 MB/);
  });

  it("refuses an image over the pixel limit (a decompression bomb): 413", async () => {
    process.env.MEDIA_MAX_MEGAPIXELS = "1";
    resetEnv();
    // 2000 × 2000 of one colour: a few kB of PNG, 4 megapixels once decoded.
    const answer = await refusal(run(testDb(), uploadFileCommand, await uploader(), { name: "Bomb.png", file: await png(2000, 2000) }));
    expect(answer).toMatchObject({ status: 413, reason: "too_many_pixels" });
  });

  it("refuses past the uploader's quota (413) and rate (429)", async () => {
    const db = testDb();
    process.env.MEDIA_QUOTA_MB = "1";
    resetEnv();
    const actor = await uploader();
    await run(db, uploadFileCommand, actor, { name: "Half.jpg", file: await noisyJpeg(1000, 800) });
    expect(await refusal(run(db, uploadFileCommand, actor, { name: "Other half.jpg", file: await noisyJpeg(1000, 801) }))).toMatchObject({ status: 413, reason: "quota" });
    process.env.MEDIA_QUOTA_MB = "100";
    resetEnv();
    const busy = await uploader();
    await run(db, uploadFileCommand, busy, { name: "One.png", file: await png(5, 5) });
    // The rest of the hour's uploads (MEDIA_UPLOADS_PER_HOUR, 60 by default), spent at once.
    await consume(db, "uploadUser", busy.id, 59);
    expect(await refusal(run(db, uploadFileCommand, busy, { name: "Two.png", file: await png(7, 7) }))).toMatchObject({ status: 429 });
  });

  it("refuses anonymous callers (401), readers (403), names without a type or with a path, and an empty file", async () => {
    const db = testDb();
    const file = await png();
    expect(await refusal(run(db, uploadFileCommand, null, { name: "Anon.png", file }))).toMatchObject({ status: 401 });
    expect(await refusal(run(db, uploadFileCommand, await uploader("reader"), { name: "Reader.png", file }))).toMatchObject({ status: 403 });
    const editor = await uploader();
    expect(await refusal(run(db, uploadFileCommand, editor, { name: "No type", file }))).toMatchObject({ status: 400 });
    expect(await refusal(run(db, uploadFileCommand, editor, { name: "../etc/passwd.png", file }))).toMatchObject({ status: 400 });
    expect(await refusal(run(db, uploadFileCommand, editor, { name: "Empty.png", file: new Uint8Array() }))).toMatchObject({ status: 400 });
    expect(await refusal(run(db, uploadFileCommand, editor, { name: "Bad\u0007name.png", file }))).toMatchObject({ status: 400 });
    expect(await refusal(run(db, uploadFileCommand, editor, { name: "Missing.png" }))).toMatchObject({ status: 400 });
  });

  it("an edit cannot point a file page at bytes nobody uploaded, nor make a File: page of another kind", async () => {
    const db = testDb();
    const actor = await uploader();
    const uploaded = await run(db, uploadFileCommand, actor, { name: "Real.png", file: await png() });
    const [revision] = await db.select().from(revisions).where(eq(revisions.id, uploaded.revision));
    const forged = setField(revision!.content, "file", "0".repeat(64));
    await expect(savePage(db, { title: "File:Real.png", content: forged, authorId: actor.id, baseRevisionId: uploaded.revision })).rejects.toMatchObject({ code: "invalid:content" });
    const concept = "---\ntitle: File:Fake.png\nkind: concept\nsummary: Not a file.\n---\nText.\n";
    await expect(savePage(db, { title: "File:Fake.png", content: concept, authorId: actor.id, baseRevisionId: null })).rejects.toMatchObject({ code: "invalid:content" });
  });
});

describe("moderators hide a file revision", () => {
  it("marks the upload hidden and its bytes unserved; only moderators may", async () => {
    const db = testDb();
    const uploaded = await run(db, uploadFileCommand, await uploader(), { name: "Unwanted.png", file: await png() });
    expect(await refusal(run(db, hideFileRevisionCommand, await uploader(), { revisionId: uploaded.revision }))).toMatchObject({ status: 403 });
    const moderator = await uploader("moderator");
    await run(db, hideFileRevisionCommand, moderator, { revisionId: uploaded.revision });
    const [upload] = await db.select().from(fileUploads).where(eq(fileUploads.revisionId, uploaded.revision));
    expect(upload?.hiddenBy).toBe(moderator.id);
    expect((await blobStore().stat(db, uploaded.sha256))?.hiddenAt).not.toBeNull();
  });
});

describe("moderators show a hidden file revision again", () => {
  it("serves the bytes again only once no upload of the same bytes is hidden; only moderators may; a revision not hidden is a conflict", async () => {
    const db = testDb();
    const author = await uploader();
    const bytes = await png(20, 20, { r: 5, g: 6, b: 7 });
    const first = await run(db, uploadFileCommand, author, { name: "Twice A.png", file: bytes });
    const second = await run(db, uploadFileCommand, author, { name: "Twice B.png", file: bytes });
    expect(second.sha256).toBe(first.sha256);
    const moderator = await uploader("moderator");
    expect(await refusal(run(db, showFileRevisionCommand, moderator, { revisionId: first.revision }))).toMatchObject({ status: 409 });
    await run(db, hideFileRevisionCommand, moderator, { revisionId: first.revision });
    await run(db, hideFileRevisionCommand, moderator, { revisionId: second.revision });
    expect(await refusal(run(db, showFileRevisionCommand, author, { revisionId: first.revision }))).toMatchObject({ status: 403 });
    expect(await run(db, showFileRevisionCommand, moderator, { revisionId: first.revision })).toMatchObject({ served: false });
    expect((await blobStore().stat(db, first.sha256))?.hiddenAt).not.toBeNull();
    expect(await run(db, showFileRevisionCommand, moderator, { revisionId: second.revision })).toMatchObject({ served: true });
    expect((await blobStore().stat(db, first.sha256))?.hiddenAt).toBeNull();
    const rows = await db.select({ hiddenAt: fileUploads.hiddenAt, hiddenBy: fileUploads.hiddenBy }).from(fileUploads).where(eq(fileUploads.sha256, first.sha256));
    expect(rows).toEqual([
      { hiddenAt: null, hiddenBy: null },
      { hiddenAt: null, hiddenBy: null },
    ]);
  });
});

describe("hiding purges every copy of the bytes at once", () => {
  const registry = globalThis as Record<symbol, unknown>;
  afterEach(() => {
    delete registry[PAGE_CACHE_KEY];
  });

  it("this server's media cache forgets the blob, and the front hears a media:<sha256> purge (hide and show)", async () => {
    const db = testDb();
    const heard: string[][] = [];
    registry[PAGE_CACHE_KEY] = { purgeTags: (tags) => heard.push([...tags]), purgeAll: () => 0 } satisfies PagePurger;
    const uploaded = await run(db, uploadFileCommand, await uploader(), { name: "Cached.png", file: await png(12, 12) });
    // Served once: the application keeps the blob's row.
    expect((await cachedBlob(uploaded.sha256, () => blobStore().stat(db, uploaded.sha256)))?.hiddenAt).toBeNull();
    const moderator = await uploader("moderator");
    await run(db, hideFileRevisionCommand, moderator, { revisionId: uploaded.revision });
    expect(heard.flat()).toContain(mediaTag(uploaded.sha256));
    expect(heard.flat()).toContain("page:File:Cached.png");
    // The next request reads the row again, hidden.
    expect((await cachedBlob(uploaded.sha256, () => blobStore().stat(db, uploaded.sha256)))?.hiddenAt).not.toBeNull();
    heard.length = 0;
    await run(db, showFileRevisionCommand, moderator, { revisionId: uploaded.revision });
    expect(heard.flat()).toContain(mediaTag(uploaded.sha256));
    expect((await cachedBlob(uploaded.sha256, () => blobStore().stat(db, uploaded.sha256)))?.hiddenAt).toBeNull();
  });

  it("a row read before a hide and kept after it is not cached (the load raced the hide)", async () => {
    const db = testDb();
    const uploaded = await run(db, uploadFileCommand, await uploader(), { name: "Raced.png", file: await png(13, 13) });
    const before = await blobStore().stat(db, uploaded.sha256);
    let release: () => void = () => {};
    const slow = cachedBlob(uploaded.sha256, () => new Promise((resolve) => (release = () => resolve(before))));
    await run(db, hideFileRevisionCommand, await uploader("moderator"), { revisionId: uploaded.revision });
    release();
    expect((await slow)?.hiddenAt).toBeNull();
    expect((await cachedBlob(uploaded.sha256, () => blobStore().stat(db, uploaded.sha256)))?.hiddenAt).not.toBeNull();
  });
});
