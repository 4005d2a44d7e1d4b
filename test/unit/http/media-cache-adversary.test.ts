import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { frontPurger, MediaCache } from "@/lib/http/media-cache";
import { ALL_MEDIA_TAG, mediaTag } from "@/lib/http/page-cache-key";
import { mediaHeaders } from "@/lib/media/serve";

const hash = "c".repeat(64);

/** An application's answer for a stored file, as the front sees it stream past. */
function answer(body: Buffer): IncomingMessage & { finish(): void } {
  const headers = mediaHeaders({ mime: "image/png", etag: `"${hash}"`, name: "A.png" });
  const emitter = new EventEmitter() as IncomingMessage & { finish(): void };
  Object.assign(emitter, {
    statusCode: 200,
    rawHeaders: Object.entries({ ...headers, "Content-Length": String(body.length) }).flat(),
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

describe("the front's media cache against a hide racing a fill (adversary round 2)", () => {
  it("does not keep an answer to a request forwarded before a purge, even when the answer's headers arrive after it", () => {
    // The front forwards a GET; the application reads the file's row (not hidden yet) and is slow to answer;
    // a moderator hides the file and the purge reaches the front; then the application's answer arrives.
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    const ticket = cache.beginFill();
    cache.purgeTags([mediaTag(hash)]);
    const reply = answer(Buffer.alloc(10, 1));
    cache.keep(hash, reply, ticket);
    reply.finish();
    expect(cache.get(hash)).toBeUndefined();
  });

  it("keeps an answer forwarded after the purge", () => {
    const cache = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    cache.purgeTags([mediaTag(hash)]);
    const ticket = cache.beginFill();
    const reply = answer(Buffer.alloc(10, 1));
    cache.keep(hash, reply, ticket);
    reply.finish();
    expect(cache.get(hash)?.body.length).toBe(10);
  });
});

describe("a front hearing another server's hide (adversary round 2)", () => {
  it("drops what it kept from its application before the application forgot the file, once it has", async () => {
    // The purge reaches this front (NOTIFY): its cache drops the file and tells its application to forget it (IPC).
    // Until the application has, a miss is answered from the application's own copy of the file's row (not hidden).
    const media = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    let forgotten!: () => void;
    const purger = frontPurger({ pages: null, media, forgetInApp: () => new Promise<void>((resolve) => (forgotten = resolve)) });
    purger.purgeTags([mediaTag(hash)]);
    const early = answer(Buffer.alloc(10, 1));
    media.keep(hash, early, media.beginFill());
    early.finish();
    // One answered from the stale copy whose end arrives after the application forgot: not kept either.
    const late = answer(Buffer.alloc(10, 2));
    media.keep(`${hash}?w=320`, late, media.beginFill());
    forgotten();
    await new Promise((resolve) => setImmediate(resolve));
    late.finish();
    expect(media.get(hash)).toBeUndefined();
    expect(media.get(`${hash}?w=320`)).toBeUndefined();
  });
});

describe("a front whose purge listener reconnected (adversary round 2)", () => {
  it("tells its application to forget every file, and drops its own cache again once it has", async () => {
    const media = new MediaCache({ maxBytes: 64 * 2 ** 20 });
    const told: string[][] = [];
    let forgotten!: () => void;
    const purger = frontPurger({
      pages: null,
      media,
      forgetInApp: (tags) => {
        told.push(tags);
        return new Promise<void>((resolve) => (forgotten = resolve));
      },
    });
    purger.purgeAll();
    expect(told).toEqual([[ALL_MEDIA_TAG]]);
    const early = answer(Buffer.alloc(10, 1));
    media.keep(hash, early, media.beginFill());
    early.finish();
    forgotten();
    await new Promise((resolve) => setImmediate(resolve));
    expect(media.get(hash)).toBeUndefined();
  });
});
