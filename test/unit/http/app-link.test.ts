import { describe, expect, it } from "vitest";
import { AppLoad, HEALTH_STALE_MS, HealthSnapshot, readAppMessage, readFrontMessage } from "@/lib/http/app-link";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("the front's view of the application's load", () => {
  it("follows the application's own reports while they keep coming", () => {
    const c = clock();
    const load = new AppLoad(c.now);
    load.report({ type: "load", overloaded: false, retryAfterSeconds: 1, delayMs: 3 });
    expect(load.overloaded()).toBe(false);
    c.advance(250);
    load.report({ type: "load", overloaded: true, retryAfterSeconds: 2, delayMs: 600 });
    expect(load.overloaded()).toBe(true);
    expect(load.retryAfterSeconds()).toBe(2);
    c.advance(250);
    load.report({ type: "load", overloaded: false, retryAfterSeconds: 1, delayMs: 5 });
    expect(load.overloaded()).toBe(false);
  });

  it("counts a report that does not come as a stalled application (it cannot say so itself while blocked)", () => {
    const c = clock();
    const load = new AppLoad(c.now, 1_000);
    load.report({ type: "load", overloaded: false, retryAfterSeconds: 1, delayMs: 0 });
    c.advance(999);
    expect(load.overloaded()).toBe(false);
    c.advance(1);
    expect(load.overloaded()).toBe(true);
    load.report({ type: "load", overloaded: false, retryAfterSeconds: 1, delayMs: 0 });
    expect(load.overloaded()).toBe(false);
  });
});

describe("/api/health as the front answers it", () => {
  it("is the application's latest answer while it is fresh, and a 503 naming the silence once it is not", () => {
    const c = clock();
    const health = new HealthSnapshot(c.now);
    expect(health.answer().status).toBe(503);
    expect(JSON.parse(health.answer().body)).toMatchObject({ status: "error", message: "The application server has not answered yet." });
    const body = JSON.stringify({ status: "ok", pages: 13 });
    health.record({ status: 200, body });
    c.advance(HEALTH_STALE_MS - 1);
    expect(health.answer()).toEqual({ status: 200, body });
    c.advance(2_001);
    const stale = health.answer();
    expect(stale.status).toBe(503);
    expect(JSON.parse(stale.body).message).toBe("The application server has not answered for 5 s.");
  });

  it("passes on an unhealthy answer as it is", () => {
    const health = new HealthSnapshot(clock().now);
    health.record({ status: 503, body: '{"status":"error","message":"The database cannot be reached."}' });
    expect(health.answer().status).toBe(503);
  });
});

describe("IPC messages", () => {
  it("reads the application's messages and ignores anything else", () => {
    expect(readAppMessage({ type: "ready" })).toEqual({ type: "ready" });
    expect(readAppMessage({ type: "purge", purge: { tags: ["page:A"] } })).toEqual({ type: "purge", purge: { tags: ["page:A"] } });
    expect(readAppMessage({ type: "synced", id: 4 })).toEqual({ type: "synced", id: 4 });
    expect(readAppMessage({ type: "load", overloaded: true, retryAfterSeconds: 3, delayMs: 700 })).toEqual({ type: "load", overloaded: true, retryAfterSeconds: 3, delayMs: 700 });
    for (const junk of [null, "ready", 7, {}, { type: "nope" }, { type: "synced" }]) expect(readAppMessage(junk)).toBeNull();
    expect(readFrontMessage({ type: "sync", id: 1 })).toEqual({ type: "sync", id: 1 });
    expect(readFrontMessage({ type: "sync" })).toBeNull();
    expect(readFrontMessage({ type: "forget-media", tags: ["media:abc"] })).toEqual({ type: "forget-media", tags: ["media:abc"] });
    expect(readFrontMessage({ type: "forget-media", tags: [1] })).toBeNull();
    expect(readFrontMessage({ type: "forget-media" })).toBeNull();
  });

  it("reads a malformed purge as 'purge everything' (safe, if wasteful)", () => {
    expect(readAppMessage({ type: "purge", purge: { tags: [1, 2] } })).toEqual({ type: "purge", purge: { all: true } });
    expect(readAppMessage({ type: "purge" })).toEqual({ type: "purge", purge: { all: true } });
  });
});
