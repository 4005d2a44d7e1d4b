import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mediaVariants, type MediaBlob } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { readWhole } from "./blob-store";
import { VARIANT_WIDTHS } from "./file-types";
import { mediaLimits } from "./limits";
import { variantInWorker } from "./media-jobs";

export type Variant = { data: Buffer; width: number; height: number; mime: string };

/** The srcset widths an image has: the listed ones below its own width. */
export function variantWidths(blob: Pick<MediaBlob, "mime" | "width">): number[] {
  if (!blob.mime.startsWith("image/") || !blob.width) return [];
  return VARIANT_WIDTHS.filter((w) => w < blob.width!);
}

/**
 * A resized copy of an image: read from the cache, or made once by sharp in
 * the worker pool's media lane and kept (a copy never changes: its blob
 * does not). Null for a width the image does not offer.
 */
export async function imageVariant(db: Database, blob: MediaBlob, width: number): Promise<Variant | null> {
  if (!variantWidths(blob).includes(width)) return null;
  const [cached] = await db
    .select({ data: mediaVariants.data, width: mediaVariants.width, height: mediaVariants.height, mime: mediaVariants.mime })
    .from(mediaVariants)
    .where(and(eq(mediaVariants.sha256, blob.sha256), eq(mediaVariants.width, width), eq(mediaVariants.mime, "image/webp")));
  if (cached) return cached;
  const original = await readWhole(db, blob);
  const made = await variantInWorker(original, width, mediaLimits(env()).maxPixels);
  if (!made) return null;
  const data = Buffer.from(made.bytes.buffer, made.bytes.byteOffset, made.bytes.byteLength);
  await db.insert(mediaVariants).values({ sha256: blob.sha256, width, mime: made.mime, height: made.height, data }).onConflictDoNothing();
  return { data, width: made.width, height: made.height, mime: made.mime };
}
