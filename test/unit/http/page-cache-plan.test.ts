import { describe, expect, it } from "vitest";
import { cacheKey, mayFill, parseCachedRoute, planRequest } from "@/lib/http/page-cache";
import { OLD_REVISIONS_TAG, pageTag } from "@/lib/http/page-cache-key";

describe("page-cache keys come from the parsed route", () => {
  it("a title's percent-encodings share the canonical key and tag", () => {
    const canonical = planRequest("GET", "/wiki/Adoption", {});
    expect(canonical).toEqual({ key: "/wiki/Adoption", tags: [pageTag("Adoption")], shared: true });
    for (const spelling of ["/wiki/%41doption", "/wiki/Ad%6Fption", "/wiki/%41%64%6F%70%74%69%6F%6E"]) {
      expect(planRequest("GET", spelling, {}), spelling).toEqual(canonical);
    }
    expect(planRequest("GET", "/wiki/%41doption/diff?to=2&from=1", {})).toEqual({
      key: "/wiki/Adoption/diff?from=1&to=2",
      tags: [pageTag("Adoption")],
      shared: true,
    });
    expect(planRequest("GET", "/wiki/%41doption/history", {})?.key).toBe("/wiki/Adoption/history");
    expect(planRequest("GET", "/wiki/%41doption?rev=3", {})).toEqual({ key: "/wiki/Adoption?rev=3", tags: [pageTag("Adoption"), OLD_REVISIONS_TAG], shared: true });
    // Lower-case hex and unencoded non-ASCII are the same title as the canonical %C3%A9.
    expect(planRequest("GET", "/wiki/Caf%c3%a9", {})?.key).toBe("/wiki/Caf%C3%A9");
    expect(planRequest("GET", "/wiki/Café", {})?.key).toBe("/wiki/Caf%C3%A9");
    expect(planRequest("GET", "/wiki/Caf%c3%a9", {})?.tags).toEqual([pageTag("Café")]);
  });

  it("a path whose title does not parse is not cached", () => {
    for (const path of ["/wiki/..", "/wiki/.", "/wiki/%2E%2E", "/wiki/%2E%2E/diff", "/wiki/../history", "/wiki/%2F", "/wiki/%20", "/wiki/A%7CB", "/wiki/%5BA%5D"]) {
      expect(planRequest("GET", path, {}), path).toBeNull();
    }
  });

  it("a fragment, raw or encoded, is never part of a key or tag", () => {
    expect(planRequest("GET", "/wiki/X#y", {})).toBeNull();
    expect(planRequest("GET", "/wiki/X%23y", {})).toBeNull();
    expect(planRequest("GET", "/wiki/X/diff?from=1#to", {})).toBeNull();
    expect(planRequest("GET", "/compare#top", {})).toBeNull();
  });

  it("a spelling that is not the canonical title bypasses the cache: its route redirects there", () => {
    for (const path of ["/wiki/adoption", "/wiki/Nursery%20and%20garden", "/wiki/Nursery and garden", "/wiki/_Adoption", "/wiki/Adoption_", "/wiki/adoption/history"]) {
      expect(planRequest("GET", path, {}), path).toBeNull();
    }
    expect(planRequest("GET", "/wiki/Nursery_and_garden", {})?.tags).toEqual([pageTag("Nursery_and_garden")]);
  });

  it("parseCachedRoute names the view, the slug and the canonical path", () => {
    expect(parseCachedRoute("/")).toEqual({ view: "overview", path: "/" });
    expect(parseCachedRoute("/compare")).toEqual({ view: "overview", path: "/compare" });
    expect(parseCachedRoute("/wiki/%41:b,c")).toEqual({ view: "page", slug: "A:b,c", path: "/wiki/A:b,c" });
    expect(parseCachedRoute("/wiki/A%2FB/diff")).toEqual({ view: "diff", slug: "A/B", path: "/wiki/A%2FB/diff" });
    expect(parseCachedRoute("/wiki/A/edit")).toBeNull();
    expect(parseCachedRoute("/wiki/%E0%A4")).toBeNull();
  });

  it("cacheKey keeps only the route's parameters, in the route's order", () => {
    const route = parseCachedRoute("/wiki/%41doption/diff")!;
    expect(cacheKey(route, new URLSearchParams("view=inline&junk=1&to=2&from=1"))).toBe("/wiki/Adoption/diff?from=1&to=2&view=inline");
    // Each page of a diff's hunks is its own page.
    expect(cacheKey(route, new URLSearchParams("page=3&junk=1&to=2&from=1"))).toBe("/wiki/Adoption/diff?from=1&to=2&page=3");
    expect(cacheKey(parseCachedRoute("/")!, new URLSearchParams("tag=a-b&x=1"))).toBe("/?tag=a-b");
  });

  it("caches a parameter only in the spelling the wiki's links use: made-up values cannot fill the cache with copies", () => {
    const diff = parseCachedRoute("/wiki/Adoption/diff")!;
    for (const query of ["from=03&to=4", "from=3.0&to=4", "from=3&to=%2B4", "from=3&to=4&view=x", "from=3&to=4&view=side", "from=3&to=4&page=1", "from=3&to=4&page=02", "from=3&from=5&to=4", "from=99999999999&to=4"]) {
      expect(cacheKey(diff, new URLSearchParams(query)), query).toBeNull();
      expect(planRequest("GET", `/wiki/Adoption/diff?${query}`, {}), query).toBeNull();
    }
    expect(cacheKey(diff, new URLSearchParams("from=3&to=4&view=inline&page=2"))).toBe("/wiki/Adoption/diff?from=3&to=4&view=inline&page=2");
    const page = parseCachedRoute("/wiki/Adoption")!;
    for (const query of ["rev=01", "rev=abc", "rev=1&rev=2", "merged=xyz", "redirectedfrom=Anything%20at%20all", "redirectedfrom=%2E%2E"]) {
      expect(cacheKey(page, new URLSearchParams(query)), query).toBeNull();
      expect(planRequest("GET", `/wiki/Adoption?${query}`, {}), query).toBeNull();
    }
    expect(planRequest("GET", "/wiki/Adoption?redirectedfrom=Old_title", {})?.key).toBe("/wiki/Adoption?redirectedfrom=Old_title");
    expect(planRequest("GET", "/wiki/Adoption?merged=1", {})?.key).toBe("/wiki/Adoption?merged=1");
    expect(planRequest("GET", "/wiki/Adoption/history?before=abc", {})).toBeNull();
    expect(planRequest("GET", "/wiki/Adoption/history?before=12", {})?.key).toBe("/wiki/Adoption/history?before=12");
    expect(planRequest("GET", "/?tag=Garden", {})).toBeNull();
    expect(planRequest("GET", "/?sort=x", {})).toBeNull();
    expect(planRequest("GET", "/?tag=garden&sort=title", {})?.key).toBe("/?sort=title&tag=garden");
  });

  it("each page of a blame is its own entry (page 2 is never answered from, or stored as, page 1)", () => {
    expect(planRequest("GET", "/wiki/Adoption/blame", {})?.key).toBe("/wiki/Adoption/blame");
    expect(planRequest("GET", "/wiki/Adoption/blame?page=2", {})?.key).toBe("/wiki/Adoption/blame?page=2");
    for (const query of ["page=1", "page=02", "page=x", "page=2&page=3"]) expect(planRequest("GET", `/wiki/Adoption/blame?${query}`, {}), query).toBeNull();
  });

  it("the status notes after a save (created=1, saved=1) are kept only in that spelling", () => {
    expect(planRequest("GET", "/wiki/Adoption?saved=1", {})?.key).toBe("/wiki/Adoption?saved=1");
    expect(planRequest("GET", "/wiki/Adoption?created=1", {})?.key).toBe("/wiki/Adoption?created=1");
    for (const query of ["saved=yes", "created=2", "saved=1&saved=1"]) expect(planRequest("GET", `/wiki/Adoption?${query}`, {}), query).toBeNull();
  });

  it("only the canonical path fills an entry; other spellings are answered from it", () => {
    const plan = planRequest("GET", "/wiki/%41doption?rev=3", {})!;
    expect(mayFill(plan, "/wiki/%41doption?rev=3")).toBe(false);
    expect(mayFill(plan, "/wiki/Adoption?rev=3")).toBe(true);
    expect(mayFill(plan, "/wiki/Adoption?utm=x&rev=3")).toBe(true);
    expect(mayFill(planRequest("GET", "/wiki/Caf%C3%A9", {})!, "/wiki/Caf%C3%A9")).toBe(true);
    expect(mayFill(planRequest("GET", "/wiki/Café", {})!, "/wiki/Café")).toBe(false);
    expect(mayFill(planRequest("GET", "/compare?tag=x", {})!, "/compare?tag=x")).toBe(true);
  });
});
