/**
 * The kinds of file the wiki accepts, as told by their bytes (file-type's
 * names), with the type they are served as and the name endings that may
 * carry them. Plain data: the editor reads it in the browser too.
 */
export type MediaCategory = "image" | "audio" | "video" | "document" | "captions";

export type AllowedType = { mime: string; category: MediaCategory; extensions: readonly string[] };

/** file-type's extension for what the bytes are → how the wiki treats them. Anything else is refused. */
export const allowedTypes: Readonly<Record<string, AllowedType>> = {
  jpg: { mime: "image/jpeg", category: "image", extensions: ["jpg", "jpeg"] },
  png: { mime: "image/png", category: "image", extensions: ["png"] },
  webp: { mime: "image/webp", category: "image", extensions: ["webp"] },
  avif: { mime: "image/avif", category: "image", extensions: ["avif"] },
  gif: { mime: "image/gif", category: "image", extensions: ["gif"] },
  mp3: { mime: "audio/mpeg", category: "audio", extensions: ["mp3"] },
  m4a: { mime: "audio/mp4", category: "audio", extensions: ["m4a", "aac"] },
  aac: { mime: "audio/aac", category: "audio", extensions: ["aac", "m4a"] },
  opus: { mime: "audio/ogg", category: "audio", extensions: ["opus", "ogg", "oga"] },
  oga: { mime: "audio/ogg", category: "audio", extensions: ["oga", "ogg", "opus"] },
  ogg: { mime: "audio/ogg", category: "audio", extensions: ["ogg", "oga", "opus"] },
  wav: { mime: "audio/wav", category: "audio", extensions: ["wav"] },
  mp4: { mime: "video/mp4", category: "video", extensions: ["mp4", "m4v"] },
  m4v: { mime: "video/mp4", category: "video", extensions: ["m4v", "mp4"] },
  webm: { mime: "video/webm", category: "video", extensions: ["webm"] },
  pdf: { mime: "application/pdf", category: "document", extensions: ["pdf"] },
  vtt: { mime: "text/vtt", category: "captions", extensions: ["vtt"] },
};

/** The name endings the wiki accepts, for the editor's file picker. */
export const acceptedExtensions = [...new Set(Object.values(allowedTypes).flatMap((t) => t.extensions))];

/** The lower-case ending of a file name ("Garden.JPG" → "jpg"), or "" without one. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 || dot === name.length - 1 ? "" : name.slice(dot + 1).toLowerCase();
}

/** Widths of the resized copies a figure offers in its srcset (only those below the image's own width). */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const;

/** The name part of a file page's title ("File:Garden photo.jpg" → "Garden_photo.jpg"), as it appears in media URLs. */
export function fileNameOf(title: string): string {
  return (title.startsWith("File:") ? title.slice("File:".length) : title).replace(/ /g, "_");
}

/** Where a file's bytes are served: immutable, named by their hash. */
export function mediaPath(sha256: string, title: string): string {
  return `/media/${sha256}/${encodeURIComponent(fileNameOf(title))}`;
}

/** A duration as a clock shows it: "0:02", "4:05", "1:02:03" (whole seconds, rounded). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A duration for `<time dateTime>` (ISO 8601: "PT65.5S"). */
export function isoDuration(seconds: number): string {
  return `PT${Math.round(seconds * 1000) / 1000}S`;
}
