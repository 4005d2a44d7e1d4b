/**
 * What an upload is, decided from its bytes alone, and the bytes the wiki
 * keeps of it: runs in a CPU worker process (scripts/cpu-worker.ts, the
 * pool's media lane), never on the request thread. The name only has to
 * agree with what the bytes are. Images are decoded and encoded again with
 * sharp, which keeps the pixels and nothing else: no EXIF (a phone photo's
 * GPS position), no XMP, no trailing data.
 */
import { fileTypeFromBuffer } from "file-type";
import { contentProblem, findMarkup } from "./content-checks";
import { allowedTypes, extensionOf, type AllowedType, type MediaCategory } from "./file-types";

export type Refusal = { code: "unsupported" | "mismatch" | "polyglot" | "svg" | "too_many_pixels" | "undecodable"; message: string };

export type InspectTask = { op: "inspect-upload"; bytes: Uint8Array; name: string; maxPixels: number };
export type InspectResult =
  | { ok: true; op: "inspect-upload"; accepted: { mime: string; category: MediaCategory; bytes: Uint8Array; width: number | null; height: number | null } }
  | { ok: true; op: "inspect-upload"; refused: Refusal };

export type VariantTask = { op: "image-variant"; bytes: Uint8Array; width: number; maxPixels: number };
export type VariantResult = { ok: true; op: "image-variant"; bytes: Uint8Array; width: number; height: number; mime: "image/webp" };

/** What file-type calls markup (an SVG is XML to it). */
const MARKUP_TYPES = new Set(["xml", "svg", "html"]);
const SVG_OR_MARKUP = /<(?:svg|\?xml|!doctype|html)/;

/** The type the bytes say they are, if the wiki accepts it. */
export async function sniff(bytes: Uint8Array, name: string): Promise<{ ok: true; ext: string; type: AllowedType } | { ok: false; refusal: Refusal }> {
  const detected = await fileTypeFromBuffer(bytes);
  const extension = extensionOf(name);
  if (!detected || MARKUP_TYPES.has(detected.ext)) {
    const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1").toLowerCase();
    if (SVG_OR_MARKUP.test(head)) {
      return { ok: false, refusal: { code: "svg", message: "SVG, HTML and other markup files are not accepted (they can carry script); upload the picture as PNG or WebP." } };
    }
    return { ok: false, refusal: { code: "unsupported", message: "This kind of file is not accepted. Upload JPEG, PNG, WebP, AVIF or GIF pictures, MP3, M4A, Ogg/Opus or WAV audio, MP4 or WebM video, PDF documents or WebVTT captions." } };
  }
  const type = allowedTypes[detected.ext];
  if (!type) {
    return { ok: false, refusal: { code: "unsupported", message: `This file is ${detected.ext.toUpperCase()} (${detected.mime}), which is not accepted. Upload JPEG, PNG, WebP, AVIF or GIF pictures, MP3, M4A, Ogg/Opus or WAV audio, MP4 or WebM video, PDF documents or WebVTT captions.` } };
  }
  if (!type.extensions.includes(extension)) {
    return {
      ok: false,
      refusal: { code: "mismatch", message: `The name ends in ".${extension}", but the file is ${detected.ext.toUpperCase()}: name it with ${type.extensions.map((e) => `.${e}`).join(" or ")}.` },
    };
  }
  return { ok: true, ext: detected.ext, type };
}

/** Whether the bytes hold markup or script anywhere (an HTML page behind an image header, say): lib/media/content-checks.ts. */
export function holdsActiveContent(bytes: Uint8Array): boolean {
  return findMarkup(bytes) !== null;
}

/** The worker job: sniff, refuse active content, and re-encode images. */
export async function inspectUpload(task: InspectTask): Promise<InspectResult> {
  const refused = (refusal: Refusal): InspectResult => ({ ok: true, op: "inspect-upload", refused: refusal });
  const sniffed = await sniff(task.bytes, task.name);
  if (!sniffed.ok) return refused(sniffed.refusal);
  const { type, ext } = sniffed;
  // Markup anywhere; captions' tags; PDFs that act (lib/media/content-checks.ts). PDFs are served as attachments in a sandbox anyway.
  const problem = contentProblem(task.bytes, type.category);
  if (problem) return refused({ code: "polyglot", message: problem });
  if (type.category !== "image") return { ok: true, op: "inspect-upload", accepted: { mime: type.mime, category: type.category, bytes: task.bytes, width: null, height: null } };
  try {
    const image = await reencode(task.bytes, ext, task.maxPixels);
    return { ok: true, op: "inspect-upload", accepted: { mime: type.mime, category: "image", ...image } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      return refused({ code: "too_many_pixels", message: `This image is too large once decoded (more than ${Math.round(task.maxPixels / 1e6)} megapixels); make it smaller and upload it again.` });
    }
    return refused({ code: "undecodable", message: "This image could not be read (it is damaged or not what it claims to be)." });
  }
}

async function loadSharp() {
  const sharp = (await import("sharp")).default;
  // One thread per worker process: the pool decides how much runs at once.
  sharp.concurrency(1);
  return sharp;
}

/** Decode and encode again in the same format: the pixels only, orientation applied, metadata dropped. */
async function reencode(bytes: Uint8Array, ext: string, maxPixels: number): Promise<{ bytes: Uint8Array; width: number; height: number }> {
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
