/**
 * How long a sound or a video lasts, and a video's size in pixels, read from
 * a spooled upload in the media worker (lib/media/inspect.ts). Both readers
 * seek in the file and read only the headers they need: a 200 MB file is
 * never in memory. music-metadata reads MP3, M4A/AAC, Ogg/Opus, WAV and WebM
 * (Matroska: its video track's pixel size too); MP4's video size comes from
 * mp4box (GPAC's parser), since music-metadata reads no MP4 video track.
 */
import { open } from "node:fs/promises";

export type AvFacts = { durationSeconds: number | null; width: number | null; height: number | null };

const NONE: AvFacts = { durationSeconds: null, width: null, height: null };

/** Bytes of an MP4 read at most to find its movie header (`moov`, usually well under 1 MB). */
const MP4_HEADER_BUDGET = 32 * 2 ** 20;
const MP4_READ = 2 ** 20;

/** What is known of an audio or video file (`ext` is file-type's name for it); nulls where the file does not say. */
export async function avFacts(path: string, ext: string): Promise<AvFacts> {
  if (ext === "mp4" || ext === "m4v") return mp4Facts(path);
  const { parseFile } = await import("music-metadata");
  // `duration: true`: an MP3 without a VBR header is counted frame by frame (read in small pieces, never held).
  const { format } = await parseFile(path, { duration: true, skipCovers: true, skipPostHeaders: true });
  const video = format.trackInfo.find((track) => track.video?.pixelWidth && track.video.pixelHeight)?.video;
  return {
    durationSeconds: seconds(format.duration),
    width: video?.displayWidth ?? video?.pixelWidth ?? null,
    height: video?.displayHeight ?? video?.pixelHeight ?? null,
  };
}

async function mp4Facts(path: string): Promise<AvFacts> {
  const { createFile, MP4BoxBuffer } = await import("mp4box");
  const iso = createFile();
  let movie: import("mp4box").Movie | null = null;
  iso.onReady = (info) => {
    movie = info;
  };
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    let position = 0;
    let read = 0;
    // mp4box names the next offset it needs: past a media box (`mdat`) it skips to the box after, so only headers are read.
    while (!movie && position < size && read < MP4_HEADER_BUDGET) {
      const buffer = new MP4BoxBuffer(Math.min(MP4_READ, size - position));
      const { bytesRead } = await handle.read(new Uint8Array(buffer), 0, buffer.byteLength, position);
      if (bytesRead === 0) break;
      buffer.fileStart = position;
      read += bytesRead;
      const next = iso.appendBuffer(buffer, position + bytesRead >= size);
      position = next > position ? next : position + bytesRead;
    }
    iso.flush();
  } finally {
    await handle.close();
  }
  const found = movie as import("mp4box").Movie | null;
  if (!found) return NONE;
  const video = found.videoTracks[0];
  return {
    durationSeconds: found.timescale > 0 ? seconds(found.duration / found.timescale) : null,
    width: video ? (video.video?.width ?? video.track_width) || null : null,
    height: video ? (video.video?.height ?? video.track_height) || null : null,
  };
}

/** A duration worth showing, rounded to milliseconds; null when absent, zero or not a number. */
function seconds(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value * 1000) / 1000 : null;
}
