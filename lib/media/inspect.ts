/**
 * What an upload is, decided from its bytes alone, and the bytes the wiki
 * keeps of it: runs in a CPU worker process (scripts/cpu-worker.ts, the
 * pool's media lane), never on the request thread, on the upload spooled to
 * a temporary file (lib/http/spool.ts): the file is read in windows, never
 * whole. The name only has to agree with what the bytes are. Images are
 * decoded and encoded again with sharp, which keeps the pixels and nothing
 * else: no EXIF (a phone photo's GPS position), no XMP, no trailing data.
 * Sounds and videos get their duration (and a video its size) from their
 * headers (lib/media/av-facts.ts).
 */
import { createHash } from "node:crypto";
import { open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileTypeFromBuffer, fileTypeFromFile } from "file-type";
import { avFacts } from "./av-facts";
import { contentProblem, findMarkup } from "./content-checks";
import { allowedTypes, extensionOf, type AllowedType, type MediaCategory } from "./file-types";

export type Refusal = { code: "unsupported" | "mismatch" | "polyglot" | "svg" | "too_many_pixels" | "undecodable"; message: string };

/** `path`: the spooled upload; a re-encoded picture is written beside it, in the same directory (removed with it). */
export type InspectTask = { op: "inspect-upload"; path: string; name: string; maxPixels: number };
/** The bytes to keep: the upload itself (`kept: null`), or the re-encoded picture's file, its size and SHA-256. */
export type Accepted = {
  mime: string;
  category: MediaCategory;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  kept: { path: string; size: number; sha256: string } | null;
};
export type InspectResult = { ok: true; op: "inspect-upload"; accepted: Accepted } | { ok: true; op: "inspect-upload"; refused: Refusal };

export type VariantTask = { op: "image-variant"; bytes: Uint8Array; width: number; maxPixels: number };
export type VariantResult = { ok: true; op: "image-variant"; bytes: Uint8Array; width: number; height: number; mime: "image/webp" };

/** A sound's or video's file is checked a window at a time: 1 MiB, and the overlap that the next window shares. */
const SCAN_WINDOW = 1 << 20;
/** More than content-checks' longest look-ahead after a `<` (TAG_REACH and a name), so nothing straddling a boundary is missed. */
const SCAN_OVERLAP = 4096;
/** What file-type calls markup (an SVG is XML to it). */
const MARKUP_TYPES = new Set(["xml", "svg", "html"]);
const SVG_OR_MARKUP = /<(?:svg|\?xml|!doctype|html)/;

const UNSUPPORTED = "Upload JPEG, PNG, WebP, AVIF or GIF pictures, MP3, M4A, Ogg/Opus or WAV audio, MP4 or WebM video, PDF documents or WebVTT captions.";

/** The type a file's first bytes say it is, if the wiki accepts it (whatever its name). */
export async function detectType(head: Uint8Array): Promise<{ ok: true; ext: string; type: AllowedType } | { ok: false; refusal: Refusal }> {
  return typeOf(await fileTypeFromBuffer(head), head);
}

function typeOf(detected: { ext: string; mime: string } | undefined, head: Uint8Array): { ok: true; ext: string; type: AllowedType } | { ok: false; refusal: Refusal } {
  if (!detected || MARKUP_TYPES.has(detected.ext)) {
    const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 4096)).toString("latin1").toLowerCase();
    if (SVG_OR_MARKUP.test(start)) {
      return { ok: false, refusal: { code: "svg", message: "SVG, HTML and other markup files are not accepted (they can carry script); upload the picture as PNG or WebP." } };
    }
    return { ok: false, refusal: { code: "unsupported", message: `This kind of file is not accepted. ${UNSUPPORTED}` } };
  }
  const type = allowedTypes[detected.ext];
  if (!type) return { ok: false, refusal: { code: "unsupported", message: `This file is ${detected.ext.toUpperCase()} (${detected.mime}), which is not accepted. ${UNSUPPORTED}` } };
  return { ok: true, ext: detected.ext, type };
}

function agreesWithName(found: Awaited<ReturnType<typeof detectType>>, name: string): Awaited<ReturnType<typeof detectType>> {
  if (!found.ok) return found;
  const extension = extensionOf(name);
  const { type, ext } = found;
  if (!type.extensions.includes(extension)) {
    return {
      ok: false,
      refusal: { code: "mismatch", message: `The name ends in ".${extension}", but the file is ${ext.toUpperCase()}: name it with ${type.extensions.map((e) => `.${e}`).join(" or ")}.` },
    };
  }
  return found;
}

/** The type the bytes say they are, if the wiki accepts it and the name agrees. */
export async function sniff(bytes: Uint8Array, name: string): Promise<{ ok: true; ext: string; type: AllowedType } | { ok: false; refusal: Refusal }> {
  return agreesWithName(await detectType(bytes), name);
}

/** Whether the bytes hold markup or script anywhere (an HTML page behind an image header, say): lib/media/content-checks.ts. */
export function holdsActiveContent(bytes: Uint8Array): boolean {
  return findMarkup(bytes) !== null;
}

/**
 * Why an upload's content is refused for its kind, or null
 * (lib/media/content-checks.ts), from its file: pictures, PDFs and captions
 * are read whole (their limits are 20 MB at most, and the PDF check follows
 * references across the file); sounds and videos (up to 200 MB) hold only the
 * check for markup, run over one window and its overlap at a time.
 */
export async function fileContentProblem(file: string, category: MediaCategory): Promise<string | null> {
  if (category !== "audio" && category !== "video") return contentProblem(await readFile(file), category);
  const handle = await open(file, "r");
  try {
    const window = Buffer.alloc(SCAN_WINDOW + SCAN_OVERLAP);
    for (let position = 0; ; position += SCAN_WINDOW) {
      const { bytesRead } = await handle.read(window, 0, window.length, position);
      if (bytesRead === 0) return null;
      const problem = contentProblem(window.subarray(0, bytesRead), category);
      if (problem) return problem;
      if (bytesRead < window.length) return null;
    }
  } finally {
    await handle.close();
  }
}

/** The worker job: sniff, refuse active content, re-encode images, read durations and video sizes. */
export async function inspectUpload(task: InspectTask): Promise<InspectResult> {
  const refused = (refusal: Refusal): InspectResult => ({ ok: true, op: "inspect-upload", refused: refusal });
  const head = await readHead(task.path);
  const sniffed = agreesWithName(typeOf(await fileTypeFromFile(task.path), head), task.name);
  if (!sniffed.ok) return refused(sniffed.refusal);
  const { type, ext } = sniffed;
  // Markup anywhere; captions' tags; PDFs that act (lib/media/content-checks.ts). PDFs are served as attachments in a sandbox anyway.
  const problem = await fileContentProblem(task.path, type.category);
  if (problem) return refused({ code: "polyglot", message: problem });
  const accepted = (facts: Omit<Accepted, "mime" | "category">): InspectResult => ({ ok: true, op: "inspect-upload", accepted: { mime: type.mime, category: type.category, ...facts } });
  if (type.category === "audio" || type.category === "video") {
    // A file whose headers cannot be read (or not within the deadline) is still what its bytes said: it is kept, without a duration.
    const facts = await withDeadline(avFacts(task.path, ext), AV_FACTS_DEADLINE_MS).catch(() => ({ durationSeconds: null, width: null, height: null }));
    return accepted({ ...facts, kept: null });
  }
  if (type.category !== "image") return accepted({ width: null, height: null, durationSeconds: null, kept: null });
  try {
    const image = await reencode(task.path, ext, task.maxPixels);
    const kept = path.join(path.dirname(task.path), "kept");
    await writeFile(kept, image.bytes, { mode: 0o600 });
    return accepted({
      width: image.width,
      height: image.height,
      durationSeconds: null,
      kept: { path: kept, size: image.bytes.byteLength, sha256: createHash("sha256").update(image.bytes).digest("hex") },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      return refused({ code: "too_many_pixels", message: `This image is too large once decoded (more than ${Math.round(task.maxPixels / 1e6)} megapixels); make it smaller and upload it again.` });
    }
    return refused({ code: "undecodable", message: "This image could not be read (it is damaged or not what it claims to be)." });
  }
}

/** How long reading a sound's or video's headers may take (the whole inspection's deadline is the job's, lib/media/media-jobs.ts). */
const AV_FACTS_DEADLINE_MS = 15_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function loadSharp() {
  const sharp = (await import("sharp")).default;
  // One thread per worker process: the pool decides how much runs at once.
  sharp.concurrency(1);
  return sharp;
}

/** Decode and encode again in the same format: the pixels only, orientation applied, metadata dropped. */
async function reencode(bytes: Uint8Array | string, ext: string, maxPixels: number): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const animated = ext === "gif" || ext === "webp";
  const input = sharp(bytes, { limitInputPixels: maxPixels, animated, failOn: "error" });
  const meta = await input.metadata();
  const pages = meta.pages ?? 1;
  // Orientation is baked into the pixels, since the EXIF that said it is dropped (not for animations, which sharp cannot rotate).
  const oriented = pages > 1 ? input : input.rotate();
  const encoded =
    ext === "jpg"
      ? oriented.jpeg({ quality: 88, mozjpeg: true })
      : ext === "png"
        ? oriented.png({ compressionLevel: 9 })
        : ext === "webp"
          ? oriented.webp({ quality: 88 })
          : ext === "avif"
            ? oriented.avif({ quality: 60 })
            : oriented.gif();
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  const height = pages > 1 ? (meta.pageHeight ?? info.height) : info.height;
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height };
}

/** A resized copy for a srcset, as WebP (first frame of an animation). */
export async function imageVariant(task: VariantTask): Promise<VariantResult> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(task.bytes, { limitInputPixels: task.maxPixels, failOn: "error" })
    .resize({ width: task.width, withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true });
  return { ok: true, op: "image-variant", bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, mime: "image/webp" };
}
