import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedFeed, purgeFeeds } from "@/lib/feeds/feed-cache";

/** Builds of earlier tests, released when their test ends (a purge may rebuild their feeds later). */
const releases: (() => void)[] = [];

/** A build that counts its runs and finishes when the test says so. */
function controlledBuild() {
  let runs = 0;
  let running = 0;
  let maxRunning = 0;
  let released = false;
  const waiting: (() => void)[] = [];
  const build = () => {
    const n = ++runs;
    if (released) return Promise.resolve(`feed ${n}`);
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<string>((resolve) =>
      waiting.push(() => {
        running--;
        resolve(`feed ${n}`);
      }),
    );
  };
  releases.push(() => {
    released = true;
    while (waiting.length > 0) waiting.shift()!();
  });
  /** Finish every build, including those that start meanwhile (rebuilds start on a later turn of the event loop). */
  const finishAll = async () => {
    for (;;) {
      await new Promise((r) => setTimeout(r, 5));
      if (waiting.length === 0) return;
      waiting.shift()!();
    }
  };
  return { build, finishAll, runs: () => runs, maxRunning: () => maxRunning };
}

beforeEach(() => purgeFeeds());
afterEach(() => {
  for (const release of releases.splice(0)) release();
});

describe("the feed cache after a purge", () => {
  it("rebuilds a feed that was being read without waiting for a reader, so the next reader gets it from the cache", async () => {
    const b = controlledBuild();
    const first = cachedFeed("feed-0", b.build);
    await b.finishAll();
    expect(await first).toBe("feed 1");

    purgeFeeds();
    await new Promise((r) => setTimeout(r, 5));
    expect(b.runs()).toBe(2); // started by the purge itself, no reader asked
    await b.finishAll();
    expect(await cachedFeed("feed-0", b.build)).toBe("feed 2");
    expect(b.runs()).toBe(2);
  });

  it("a burst of purges rebuilds one feed at most once at a time, and what it keeps is built after the last purge", async () => {
    const b = controlledBuild();
    const first = cachedFeed("feed-1", b.build);
    await b.finishAll();
    await first;

    purgeFeeds();
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 9; i++) purgeFeeds();
    expect(b.runs()).toBe(2);
    await b.finishAll(); // the rebuild started by the first purge ends; it is stale, so one more runs
    expect(b.runs()).toBe(3);
    expect(b.maxRunning()).toBe(1);
    expect(await cachedFeed("feed-1", b.build)).toBe("feed 3");
  });

  it("does not rebuild a feed nobody read since the last purge", async () => {
    const b = controlledBuild();
    const first = cachedFeed("feed-2", b.build);
    await b.finishAll();
    await first;
    purgeFeeds();
    await b.finishAll();
    expect(b.runs()).toBe(2);
    purgeFeeds(); // "feed-2" was rebuilt and cached: it counts as read
    await b.finishAll();
    expect(b.runs()).toBe(3);
  });
});
