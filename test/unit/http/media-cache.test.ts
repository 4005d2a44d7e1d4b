import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { etagMatches, MediaCache, mediaCacheKey } from "@/lib/http/media-cache";
import { mediaTag } from "@/lib/http/page-cache-key";
import { mediaHeaders } from "@/lib/media/serve";

const hash = "a".repeat(64);
const other = "b".repeat(64);

/** An application's answer for a stored file, as the front sees it stream past. */
function answer(body: Buffer, headers: Record<string, string>): IncomingMessage & { finish(): void } {
  const emitter = new EventEmitter() as IncomingMessage & { finish(): void };
  const raw = Object.entries({ ...headers, "Content-Length": String(body.length), Date: "Sun, 29 Nov 2026 16:00:00 GMT" }).flat();
  Object.assign(emitter, {
    statusCode: 200,
    rawHeaders: raw,
    headers: Object.fromEntries(Object.entries({ ...headers, "Content-Length": String(body.length) }).map(([k, v]) => [k.toLowerCase(), v])),
    complete: false,
  });
  emitter.finish = () => {
    emitter.emit("data", body);
    (emitter as { complete: boolean }).complete = true;
    emitter.emit("end");
  };
  return emitter;
}

function fill(cache: MediaCache, url: string, body: Buffer, mime = "image/png"): void {
  const ask = mediaCacheKey("GET", url, {})!;
  const name = decodeURIComponent(url.split("/")[3]!.split("?")[0]!);
  const reply = answer(body, mediaHeaders({ mime, etag: `"${ask.sha256}"`, name, variant: ask.width !== null }));
  cache.keep(ask.key, reply, cache.beginFill());
  reply.finish();
}

function header(headers: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() === name) return headers[i + 1];
  return undefined;
}

describe("the front server's media cache", () => {
  it("keys a whole GET or HEAD of a file by its bytes (hash and width), never by the name in the address", () => {
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg`, {})).toEqual({ key: hash, sha256: hash, name: "Garden.jpg", width: null });
    expect(mediaCacheKey("GET", `/media/${hash}/Other%20name.jpg`, {})?.key).toBe(hash);
    expect(mediaCacheKey("HEAD", `/media/${hash}/Garden.jpg?w=640`, {})).toEqual({ key: `${hash}?w=640`, sha256: hash, name: "Garden.jpg", width: 640 });
    expect(mediaCacheKey("GET", `/media/${hash}/%E0%A4%A.jpg`, {})?.name).toBe("%E0%A4%A.jpg");
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg`, { range: "bytes=0-9" })).toBeNull();
    expect(mediaCacheKey("POST", `/media/${hash}/Garden.jpg`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg?w=640&x=1`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg?junk`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash.slice(1)}/Garden.jpg`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/wiki/Adoption`, {})).toBeNull();
  });

  it("one file under 1,000 names stays one entry, and each answer is named as its own address says", () => {
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    const body = Buffer.alloc(1000, 7);
    for (let i = 0; i < 1000; i++) {
      const url = `/media/${hash}/name-${i}.png`;
      const ask = mediaCacheKey("GET", url, {})!;
      if (!cache.get(ask.key)) fill(cache, url, body);
    }
    expect(cache.size).toBe(1);
    const ask = mediaCacheKey("GET", `/media/${hash}/Na%C3%AFve%20garden.png`, {})!;
    const headers = cache.headersFor(cache.get(ask.key)!, ask);
    // As the application names it (app/media/[hash]/[name]/route.ts), whichever name filled the entry.
    expect(header(headers, "content-disposition")).toBe(mediaHeaders({ mime: "image/png", etag: "x", name: "Naïve garden.png" })["Content-Disposition"]);
    expect(headers.filter((h) => h.toLowerCase() === "content-disposition")).toHaveLength(1);
    expect(header(headers, "content-length")).toBe("1000");
    expect(header(headers, "date")).toBeUndefined();
  });

  it("names a resized copy .webp and a PDF as an attachment, from the asking address", () => {
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    fill(cache, `/media/${hash}/First.jpg?w=320`, Buffer.alloc(10), "image/webp");
    const ask = mediaCacheKey("GET", `/media/${hash}/Second.jpg?w=320`, {})!;
    expect(header(cache.headersFor(cache.get(ask.key)!, ask), "content-disposition")).toMatch(/^inline; filename="Second.webp"/);
    fill(cache, `/media/${other}/Handout.pdf`, Buffer.alloc(10), "application/pdf");
    const pdf = mediaCacheKey("GET", `/media/${other}/x.html`, {})!;
    expect(header(cache.headersFor(cache.get(pdf.key)!, pdf), "content-disposition")).toMatch(/^attachment; filename="x.html.pdf"/);
  });

  it("a media:<sha256> purge drops the file and its resized copies, and nothing else; page tags drop nothing", () => {
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    fill(cache, `/media/${hash}/A.png`, Buffer.alloc(10));
    fill(cache, `/media/${hash}/A.png?w=320`, Buffer.alloc(10), "image/webp");
    fill(cache, `/media/${other}/B.png`, Buffer.alloc(10));
    expect(cache.purgeTags(["page:A", "overview"])).toBe(0);
    expect(cache.purgeTags([mediaTag(hash)])).toBe(2);
    expect(cache.get(hash)).toBeUndefined();
    expect(cache.get(`${hash}?w=320`)).toBeUndefined();
    expect(cache.get(other)).toBeDefined();
    expect(cache.purgeAll()).toBe(1);
    expect(cache.size).toBe(0);
  });

  it("an answer that began before a purge is not kept (it may be a file just hidden)", () => {
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    const reply = answer(Buffer.alloc(10), mediaHeaders({ mime: "image/png", etag: `"${hash}"`, name: "A.png" }));
    cache.keep(hash, reply, cache.beginFill());
    cache.purgeTags([mediaTag(hash)]);
    reply.finish();
    expect(cache.get(hash)).toBeUndefined();
  });

  it("answers If-None-Match from the kept ETag", () => {
    expect(etagMatches(`"${hash}"`, `"${hash}"`)).toBe(true);
    expect(etagMatches(`W/"${hash}", "b"`, `"${hash}"`)).toBe(true);
    expect(etagMatches(`"b"`, `"${hash}"`)).toBe(false);
    expect(etagMatches(undefined, `"${hash}"`)).toBe(false);
    expect(etagMatches("*", null)).toBe(false);
  });
});
