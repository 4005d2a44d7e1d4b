import "server-only";
import { runJob } from "@/lib/workers/pool";
import type { InspectResult, InspectTask, VariantResult, VariantTask } from "./inspect";

/** Deadlines of the media lane's jobs (a 200 MB video is scanned once, end to end, and its headers read). */
export const MEDIA_BUDGET_MS = { inspect: 60_000, variant: 20_000 } as const;

export type Inspection = Extract<InspectResult, { accepted: unknown }>["accepted"] | { refused: Extract<InspectResult, { refused: unknown }>["refused"] };

/**
 * Decide what an upload is and what of it is kept (lib/media/inspect.ts) in
 * the pool's media lane, from the spooled file at `path` (only the path
 * travels; a re-encoded picture comes back as a file beside it). Throws
 * `unavailable` when the lane is full; a job that failed or overran is
 * `{ failed }` (the upload answers 503, never 500: see the command).
 */
export async function inspectInWorker(path: string, name: string, maxPixels: number): Promise<Inspection | { failed: string }> {
  const result = await runJob<InspectResult>("media", { op: "inspect-upload", path, name, maxPixels } satisfies InspectTask, MEDIA_BUDGET_MS.inspect, 1);
  if (!result.ok) return { failed: result.message };
  if ("refused" in result) return { refused: result.refused };
  return result.accepted;
}

/** A resized WebP copy of an image, made in the media lane; null when the job failed. */
export async function variantInWorker(bytes: Uint8Array, width: number, maxPixels: number): Promise<Omit<VariantResult, "ok" | "op"> | null> {
  const result = await runJob<VariantResult>("media", { op: "image-variant", bytes, width, maxPixels } satisfies VariantTask, MEDIA_BUDGET_MS.variant, 2);
  if (!result.ok) return null;
  return { bytes: result.bytes, width: result.width, height: result.height, mime: result.mime };
}
