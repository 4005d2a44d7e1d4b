import { describe, expect, it } from "vitest";
import { LoadShedder, servedUnderLoad } from "@/lib/http/load-shedder";

function shedder(samples: number[]) {
  let now = 0;
  const s = new LoadShedder({ thresholdMs: 200, holdMs: 2_000, sample: () => samples.shift() ?? 0, now: () => now });
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

  it("sheds once a window's delay passes the threshold, for the hold time, then recovers", () => {
    const { s, advance } = shedder([350, 10, 10]);
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

  it("always serves the health check and static assets, never writes or other pages", () => {
    expect(servedUnderLoad("GET", "/api/health")).toBe(true);
    expect(servedUnderLoad("GET", "/api/health?x=1")).toBe(true);
    expect(servedUnderLoad("GET", "/_next/static/chunks/a.js")).toBe(true);
    expect(servedUnderLoad("POST", "/api/health")).toBe(false);
    expect(servedUnderLoad("GET", "/wiki/Adoption/diff?from=1&to=2")).toBe(false);
    expect(servedUnderLoad("GET", "/search?q=garden")).toBe(false);
  });
});
