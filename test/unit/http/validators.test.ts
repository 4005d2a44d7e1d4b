import { describe, expect, it } from "vitest";
import { httpDate, isNotModified, strongEtag } from "@/lib/http/validators";

describe("HTTP validators", () => {
  it("makes strong ETags that follow the bytes", () => {
    expect(strongEtag("a")).toMatch(/^"[\w-]{27}"$/);
    expect(strongEtag("a")).toBe(strongEtag(new TextEncoder().encode("a")));
    expect(strongEtag("a")).not.toBe(strongEtag("b"));
  });

  it("answers If-None-Match by weak comparison, taking precedence over If-Modified-Since", () => {
    const current = { etag: '"abc"', lastModified: new Date("2026-11-28T12:00:00.900Z") };
    expect(isNotModified(current, { ifNoneMatch: '"abc"' })).toBe(true);
    expect(isNotModified(current, { ifNoneMatch: 'W/"abc"' })).toBe(true);
    expect(isNotModified(current, { ifNoneMatch: '"x", "abc"' })).toBe(true);
    expect(isNotModified(current, { ifNoneMatch: "*" })).toBe(true);
    expect(isNotModified(current, { ifNoneMatch: '"x"', ifModifiedSince: "Sat, 28 Nov 2026 13:00:00 GMT" })).toBe(false);
  });

  it("compares If-Modified-Since at the second, and ignores dates it cannot read", () => {
    const current = { etag: '"abc"', lastModified: new Date("2026-11-28T12:00:00.900Z") };
    expect(isNotModified(current, { ifModifiedSince: httpDate(current.lastModified) })).toBe(true);
    expect(isNotModified(current, { ifModifiedSince: "Sat, 28 Nov 2026 11:59:59 GMT" })).toBe(false);
    expect(isNotModified(current, { ifModifiedSince: "yesterday" })).toBe(false);
    expect(isNotModified({ etag: '"abc"' }, { ifModifiedSince: "Sat, 28 Nov 2026 13:00:00 GMT" })).toBe(false);
    expect(httpDate(current.lastModified)).toBe("Sat, 28 Nov 2026 12:00:00 GMT");
  });
});
