import { mkdtempSync, openSync, rmSync, writeSync, closeSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { avFacts } from "@/lib/media/av-facts";
import { fileContentProblem } from "@/lib/media/inspect";
import { formatDuration, isoDuration } from "@/lib/media/file-types";
import { mediaFixture, PDF, PDF_WITH_SCRIPT } from "../../support/media-files";

const dir = mkdtempSync(path.join(tmpdir(), "propagate-av-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function onDisk(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

describe("durations and video sizes, read from the files' headers", () => {
  // Real files made with ffmpeg (test/fixtures/media/README.md): 1.5 s tones, 2 s 64 × 48 clips.
  it.each([
    ["tone.mp3", "mp3", 1.656],
    ["tone.m4a", "m4a", 1.628],
    ["tone.opus", "opus", 1.5],
    ["tone.wav", "wav", 1.5],
  ] as const)("%s lasts %s s and has no picture size", async (name, ext, seconds) => {
    const facts = await avFacts(onDisk(name, mediaFixture(name)), ext);
    expect(facts.durationSeconds).toBeCloseTo(seconds, 2);
    expect(facts).toMatchObject({ width: null, height: null });
  });

  it.each([
    ["clip.mp4", "mp4"],
    ["clip-moov-at-end.mp4", "mp4"],
    ["clip.webm", "webm"],
  ] as const)("%s lasts 2 s and is 64 × 48", async (name, ext) => {
    expect(await avFacts(onDisk(name, mediaFixture(name)), ext)).toEqual({ durationSeconds: 2, width: 64, height: 48 });
  });

  it("finds an MP4's header behind 1 GiB of media without reading the media (a sparse file: the bytes were never written)", async () => {
    const clip = mediaFixture("clip-moov-at-end.mp4");
    const boxes = topLevelBoxes(clip);
    const ftyp = boxes.find((b) => b.type === "ftyp")!;
    const moov = boxes.find((b) => b.type === "moov")!;
    const media = 2 ** 30;
    const file = path.join(dir, "huge.mp4");
    const fd = openSync(file, "w");
    writeSync(fd, clip.subarray(ftyp.start, ftyp.start + ftyp.size), 0, ftyp.size, 0);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(media + 8);
    header.write("mdat", 4, "latin1");
    writeSync(fd, header, 0, 8, ftyp.size);
    writeSync(fd, clip.subarray(moov.start, moov.start + moov.size), 0, moov.size, ftyp.size + 8 + media);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    expect(await avFacts(file, "mp4")).toEqual({ durationSeconds: 2, width: 64, height: 48 });
    // Reading 1 GiB (of zeros from a sparse file) would take seconds and, held, a gigabyte.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  it("is all null for an MP4 whose boxes are junk, rather than failing", async () => {
    const junk = onDisk("junk.mp4", Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from("ftypisom"), Buffer.alloc(4), Buffer.alloc(500, 7)]));
    expect(await avFacts(junk, "mp4")).toEqual({ durationSeconds: null, width: null, height: null });
  });

  it("shows a duration as a clock does, and as ISO 8601 for <time>", () => {
    expect([formatDuration(1.5), formatDuration(65.4), formatDuration(3723), formatDuration(0.2)]).toEqual(["0:02", "1:05", "1:02:03", "0:00"]);
    expect(isoDuration(65.4321)).toBe("PT65.432S");
  });
});

describe("a sound's or video's file is checked for markup a window at a time", () => {
  it("finds a tag at the end of a 3 MiB file and one across a window's edge, none in clean bytes; a PDF's check reads it whole", async () => {
    const size = 3 * 2 ** 20;
    const atEnd = Buffer.alloc(size, 0x41);
    atEnd.write("<script>", size - 8, "latin1");
    expect(await fileContentProblem(onDisk("end.bin", atEnd), "audio")).toMatch(/polyglot/);
    const across = Buffer.alloc(size, 0x41);
    across.write("<iframe src=x>", 2 ** 20 - 3, "latin1");
    expect(await fileContentProblem(onDisk("across.bin", across), "video")).toMatch(/polyglot/);
    // An event handler far after its tag's start, the tag starting just before a window's edge.
    const handler = Buffer.alloc(size, 0x41);
    handler.write(`<x ${" ".repeat(300)}onerror=alert(1)>`, 2 ** 20 - 2, "latin1");
    expect(await fileContentProblem(onDisk("handler.bin", handler), "audio")).toMatch(/polyglot/);
    expect(await fileContentProblem(onDisk("clean.bin", Buffer.alloc(size, 0x41)), "audio")).toBeNull();
    expect(await fileContentProblem(onDisk("script.pdf", PDF_WITH_SCRIPT), "document")).not.toBeNull();
    expect(await fileContentProblem(onDisk("plain.pdf", PDF), "document")).toBeNull();
  });
});

function topLevelBoxes(bytes: Buffer): { type: string; start: number; size: number }[] {
  const boxes = [];
  for (let start = 0; start + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(start);
    boxes.push({ type: bytes.toString("latin1", start + 4, start + 8), start, size });
    start += size;
  }
  return boxes;
}
