import type { Env } from "@/lib/env";
import type { MediaCategory } from "./file-types";

const MB = 1_000_000;

/**
 * Upload limits from the configuration (lib/env.ts): the largest file of
 * each category, in bytes, and what one person may upload.
 */
export function mediaLimits(config: Env) {
  const perCategory: Record<MediaCategory, number> = {
    image: config.MEDIA_MAX_IMAGE_MB * MB,
    audio: config.MEDIA_MAX_AV_MB * MB,
    video: config.MEDIA_MAX_AV_MB * MB,
    document: config.MEDIA_MAX_DOCUMENT_MB * MB,
    captions: Math.min(config.MEDIA_MAX_DOCUMENT_MB * MB, 2 * MB),
  };
  return {
    perCategory,
    /** The largest file of any kind. */
    maxFileBytes: Math.max(...Object.values(perCategory)),
    /** Bytes one person's uploads may add up to (each upload counted). */
    quotaBytes: config.MEDIA_QUOTA_MB * MB,
    /** Pixels an image may decode to (width × height), against decompression bombs. */
    maxPixels: config.MEDIA_MAX_MEGAPIXELS * 1_000_000,
  };
}

/** Room for the multipart envelope and the text fields around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** The largest request body POST /api/files accepts (the front server answers 413 beyond it). */
export function maxUploadRequestBytes(config: Env): number {
  return mediaLimits(config).maxFileBytes + MULTIPART_OVERHEAD_BYTES;
}

/** The path of the upload API, whose bodies may be larger than any other request's. */
export const UPLOAD_PATH = "/api/files";
