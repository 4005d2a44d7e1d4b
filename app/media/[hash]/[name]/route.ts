import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { route, type RouteRequest } from "@/lib/edge/route";
import { AppError } from "@/lib/errors";
import { blobStore, readWhole } from "@/lib/media/blob-store";
import { CACHED_FILE_BYTES, cachedBlob, cachedBytes } from "@/lib/media/media-cache";
import { matchesEtag, mediaHeaders, parseRange } from "@/lib/media/serve";
import { imageVariant } from "@/lib/media/variants";
import { decodeSegment } from "@/lib/text";

type Params = { hash: string; name: string };

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * GET /media/<sha256>/<name>[?w=640]: an uploaded file's bytes (or a resized
 * copy of an image), immutable, with Range requests, its own type, nosniff
 * and a CSP under which nothing runs. The name is only what a download is
 * called: the hash decides the bytes.
 */
async function serve({ request, url, params, ctx }: RouteRequest<Params>): Promise<Response> {
  if (!SHA256.test(params.hash)) throw new AppError("not_found:page", "There is no such file.");
  const name = decodeSegment(params.name) ?? params.name;
  const store = blobStore();
  const blob = await cachedBlob(params.hash, () => store.stat(ctx.db, params.hash));
  if (!blob) throw new AppError("not_found:page", "There is no such file.");
  // A hidden file is gone for everyone but moderators, who still see it (as MediaWiki's revision deletion does), never cached.
  // The edge reads no session for a GET; only a hidden file's answer depends on who asks, so only it looks the reader up.
  if (blob.hiddenAt && !can(ctx.actor ?? (await currentActor()), "moderate")) throw new AppError("not_found:page", "This file was hidden by a moderator.");
  const caching: Record<string, string> = blob.hiddenAt ? { "Cache-Control": "private, no-store" } : {};
  const head = request.method === "HEAD";
  const widthParam = url.searchParams.get("w");
  if (widthParam !== null) {
    const width = /^\d{1,5}$/.test(widthParam) ? Number(widthParam) : NaN;
    const variant = Number.isNaN(width)
      ? null
      : await cachedBytes(`variant:${blob.sha256}:${width}`, async () => {
          const made = await imageVariant(ctx.db, blob, width);
          return made ? { bytes: made.data, mime: made.mime } : null;
        });
    if (!variant) throw new AppError("not_found:page", "This file has no copy of that width.");
    const headers = { ...mediaHeaders({ mime: variant.mime ?? "image/webp", etag: `"${blob.sha256}-w${width}"`, name, variant: true }), ...caching };
    if (matchesEtag(request.headers.get("if-none-match"), headers.ETag!)) return new Response(null, { status: 304, headers });
    return new Response(head ? null : new Uint8Array(variant.bytes), { status: 200, headers: { ...headers, "Content-Length": String(variant.bytes.length) } });
  }
  const headers = { ...mediaHeaders({ mime: blob.mime, etag: `"${blob.sha256}"`, name }), ...caching };
  if (matchesEtag(request.headers.get("if-none-match"), headers.ETag!)) return new Response(null, { status: 304, headers });
  const ifRange = request.headers.get("if-range");
  const range = ifRange !== null && ifRange.trim() !== headers.ETag ? { kind: "full" as const } : parseRange(request.headers.get("range"), blob.size);
  if (range.kind === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${blob.size}` } });
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, blob.size - 1];
  const length = blob.size === 0 ? 0 : end - start + 1;
  const status = range.kind === "partial" ? 206 : 200;
  const rangeHeaders: Record<string, string> = { "Content-Length": String(length), ...(status === 206 ? { "Content-Range": `bytes ${start}-${end}/${blob.size}` } : {}) };
  if (head || length === 0) return new Response(null, { status, headers: { ...headers, ...rangeHeaders } });
  // A small file is served from memory once read (lib/media/media-cache.ts).
  if (blob.size <= CACHED_FILE_BYTES) {
    const whole = await cachedBytes(`bytes:${blob.sha256}`, async () => ({ bytes: await readWhole(ctx.db, blob) }));
    if (whole) return new Response(new Uint8Array(whole.bytes.subarray(start, end + 1)), { status, headers: { ...headers, ...rangeHeaders } });
  }
  // Pulled a few chunks at a time, as the reader takes them: a 200 MB video never sits in memory.
  const chunks = store.read(ctx.db, blob, start, end);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { status, headers: { ...headers, ...rangeHeaders } });
}

export const GET = route<Params>({}, serve);
export const HEAD = route<Params>({}, serve);
