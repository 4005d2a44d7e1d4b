/**
 * Files for the media tests, made here: pictures with sharp, EXIF written
 * with exiftool (Debian's libimage-exiftool-perl), and the hostile ones by
 * hand. Sounds and videos with a duration are tiny real files made once with
 * ffmpeg (test/fixtures/media/README.md says how).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";

/** A small PNG of one colour. */
export async function png(width = 64, height = 48, colour = { r: 40, g: 140, b: 90 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

/** A JPEG of noise (hard to compress: about `width × height × 0.9` bytes at quality 95). */
export async function noisyJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 16;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

/** A JPEG carrying a phone's GPS position (and camera make) in its EXIF, written by exiftool. */
export async function jpegWithGps(): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-exif-"));
  try {
    const file = path.join(dir, "photo.jpg");
    writeFileSync(file, await sharp({ create: { width: 120, height: 80, channels: 3, background: { r: 200, g: 180, b: 40 } } }).jpeg().toBuffer());
    execFileSync("exiftool", ["-q", "-overwrite_original", "-GPSLatitude=47.6062", "-GPSLatitudeRef=N", "-GPSLongitude=122.3321", "-GPSLongitudeRef=W", "-Make=PhoneMaker", "-XMP-dc:Creator=Someone Private", file]);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The metadata exiftool reads from these bytes (tag name → value). */
export function exifOf(bytes: Uint8Array): Record<string, unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-exif-"));
  try {
    const file = path.join(dir, "check.jpg");
    writeFileSync(file, bytes);
    const [tags] = JSON.parse(execFileSync("exiftool", ["-json", "-a", "-G1", file], { encoding: "utf8" })) as Record<string, unknown>[];
    return tags ?? {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A real PNG with an HTML page and its script after the image data (a polyglot). */
export async function pngPolyglot(): Promise<Buffer> {
  return Buffer.concat([await png(), Buffer.from("<html><body><script>document.title='pwned'</script></body></html>")]);
}

export const SVG = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>');

/** A ZIP archive's first bytes: a known type the wiki does not accept. */
export const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]), Buffer.alloc(200, 1)]);

export const VTT = Buffer.from("WEBVTT\n\n00:00.000 --> 00:02.000\nHello, garden.\n\n00:02.000 --> 00:04.000\nThe nursery is next door.\n");

/** A minimal valid PDF (no script). */
export const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** A PDF whose catalogue runs JavaScript when opened. */
export const PDF_WITH_SCRIPT = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** A real audio or video file of test/fixtures/media (tone.mp3, clip.webm…). */
export function mediaFixture(name: "tone.mp3" | "tone.m4a" | "tone.opus" | "tone.wav" | "clip.mp4" | "clip-moov-at-end.mp4" | "clip.webm"): Buffer {
  return readFileSync(path.join(import.meta.dirname, "..", "fixtures", "media", name));
}

/** A WAV file (8 kHz, 8-bit mono PCM: one byte a sample, so `samples.length / 8000` seconds) around these samples. */
export function wav(samples: Uint8Array): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

/** A PDF of these objects (`1 0 obj … endobj` each, Buffers kept as bytes), with a catalogue as object 1 unless given. */
export function pdfOf(objects: (string | Buffer)[], trailer = "<</Root 1 0 R>>"): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  objects.forEach((object, i) => parts.push(Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(object) ? object : Buffer.from(object, "latin1"), Buffer.from("\nendobj\n")));
  parts.push(Buffer.from(`trailer\n${trailer}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A stream object's bytes: its dictionary (without /Length, added here) and its data. */
export function pdfStream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`<<${dict}/Length ${data.length}>>\nstream\n`, "latin1"), data, Buffer.from("\nendstream", "latin1")]);
}

/** An object stream (/Type/ObjStm, Flate-compressed) holding these objects, numbered from `first`. */
export function pdfObjectStream(first: number, objects: string[], deflate: (data: Buffer) => Buffer): Buffer {
  let offset = 0;
  const header: string[] = [];
  for (const [i, object] of objects.entries()) {
    header.push(`${first + i} ${offset}`);
    offset += Buffer.byteLength(object, "latin1") + 1;
  }
  const head = header.join(" ") + "\n";
  const body = Buffer.from(head + objects.join("\n") + "\n", "latin1");
  return pdfStream(`/Type/ObjStm/N ${objects.length}/First ${Buffer.byteLength(head)}/Filter/FlateDecode`, deflate(body));
}

/** A real MP3 (a second of a tone), made by ffmpeg (Debian's ffmpeg). */
export function mp3(seconds = 1, frequency = 440): Buffer {
  return execFileSync("ffmpeg", ["-loglevel", "error", "-f", "lavfi", "-i", `sine=frequency=${frequency}:duration=${seconds}`, "-b:a", "128k", "-f", "mp3", "pipe:1"], { maxBuffer: 64 * 2 ** 20 });
}
