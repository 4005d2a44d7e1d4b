import { describe, expect, it } from "vitest";
import { LoadShedder, shedUnderLoad } from "@/lib/http/load-shedder";

function shedder(samples: number[]) {
  let now = 0;
  const s = new LoadShedder({ thresholdMs: 200, holdMs: 2_000, windows: 2, intervalMs: 60_000, sample: () => samples.shift() ?? 0, now: () => now });
  return { s, advance: (ms: number) => (now += ms) };
}

describe("load shedding", () => {
  it("is not overloaded while the event loop keeps up", () => {
    const { s } = shedder([5, 40, 199]);
    s.tick();
    s.tick();
    s.tick();
    expect(s.overloaded()).toBe(false);
  });

  it("sheds once two windows in a row lag past the threshold, for the hold time, then recovers", () => {
    const { s, advance } = shedder([350, 350, 10, 10]);
    s.tick();
    expect(s.overloaded()).toBe(false);
    s.tick();
    expect(s.overloaded()).toBe(true);
    expect(s.retryAfterSeconds()).toBe(2);
    advance(1_000);
    s.tick();
    expect(s.overloaded()).toBe(true);
    advance(1_001);
    s.tick();
    expect(s.overloaded()).toBe(false);
  });

  it("one slow moment is not an overload", () => {
    const { s } = shedder([900, 10, 900, 10]);
    for (let i = 0; i < 4; i++) {
      s.tick();
      expect(s.overloaded()).toBe(false);
    }
  });

  it("a stall the loop could not even tick through (one late tick) is an overload at once", () => {
    let now = 0;
    const s = new LoadShedder({ thresholdMs: 400, windows: 3, intervalMs: 250, stallMs: 1_000, holdMs: 2_000, sample: () => 0, now: () => now });
    s.tick();
    now += 250;
    s.tick();
    expect(s.overloaded()).toBe(false);
    now += 250 + 4_000; // the loop was blocked for four seconds
    s.tick();
    expect(s.overloaded()).toBe(true);
  });

  it("sheds the expensive reads only: never the health check, static assets, page views, sign-in or writes", () => {
    for (const url of ["/wiki/Adoption/diff?from=1&to=2", "/wiki/Adoption/blame", "/wiki/Adoption/history", "/search?q=garden", "/recent-changes", "/pages", "/feeds/recent-changes", "/api/pages/Adoption/diff?from=1&to=2"]) {
      expect(shedUnderLoad("GET", url), url).toBe(true);
    }
    for (const [method, url] of [["GET", "/api/health"], ["GET", "/_next/static/chunks/a.js"], ["GET", "/wiki/Adoption"], ["GET", "/signin"], ["POST", "/api/pages/Adoption/revisions"], ["POST", "/wiki/Adoption/edit"]] as const) {
      expect(shedUnderLoad(method, url), url).toBe(false);
    }
  });
});
