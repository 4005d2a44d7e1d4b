import { describe, expect, it } from "vitest";
import { etagMatches, mediaCacheKey } from "@/lib/http/media-cache";

const hash = "a".repeat(64);

describe("the front server's media cache", () => {
  it("keeps whole GETs and HEADs of a file or one of its copies, nothing else", () => {
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg`, {})).toBe(`/media/${hash}/Garden.jpg`);
    expect(mediaCacheKey("HEAD", `/media/${hash}/Garden.jpg?w=640`, {})).toBe(`/media/${hash}/Garden.jpg?w=640`);
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg`, { range: "bytes=0-9" })).toBeNull();
    expect(mediaCacheKey("POST", `/media/${hash}/Garden.jpg`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg?w=640&x=1`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash}/Garden.jpg?junk`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/media/${hash.slice(1)}/Garden.jpg`, {})).toBeNull();
    expect(mediaCacheKey("GET", `/wiki/Adoption`, {})).toBeNull();
  });

  it("answers If-None-Match from the kept ETag", () => {
    expect(etagMatches(`"${hash}"`, `"${hash}"`)).toBe(true);
    expect(etagMatches(`W/"${hash}", "b"`, `"${hash}"`)).toBe(true);
    expect(etagMatches(`"b"`, `"${hash}"`)).toBe(false);
    expect(etagMatches(undefined, `"${hash}"`)).toBe(false);
    expect(etagMatches("*", null)).toBe(false);
  });
});
