import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { MdxResult } from "@/lib/workers/mdx-jobs";
import { LANES, PREVIEWS_PER_PERSON, closePool, retireIdleLanes, runJob, runPreviewJob, workerPids } from "@/lib/workers/pool";

// A body the Markdown parser takes many seconds on (quadratic), well under the size limit:
// what a hostile editor sends to hold a worker.
const SLOW = "> a\n> b\n\n".repeat(8_000);
const QUICK = "Hello **world**.\n";

function childrenOf(pid: number): { pid: number; stat: string; comm: string }[] {
  let out: string;
  try {
    out = execFileSync("ps", ["-o", "pid=,stat=,comm=", "--ppid", String(pid)], { encoding: "utf8" });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [p, stat, comm] = line.trim().split(/\s+/);
      return { pid: Number(p), stat: stat!, comm: comm! };
    });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(async () => {
  await closePool();
});

describe("the CPU pool", () => {
  it("ends the processes of an idle reads or preview lane (memory), keeps the primary one, and starts them again when needed", async () => {
    expect(await runJob<MdxResult>("primary", { op: "render", body: QUICK }, 20_000)).toMatchObject({ ok: true });
    expect(await runJob<MdxResult>("reads", { op: "render", body: QUICK }, 20_000)).toMatchObject({ ok: true });
    const [reader] = workerPids("reads");
    const [primary] = workerPids("primary");
    expect(reader && primary).toBeTruthy();
    // Not idle long enough yet: nothing ends.
    expect(await retireIdleLanes(Date.now() + 1_000)).toEqual([]);
    expect(await retireIdleLanes(Date.now() + LANES.reads.idleExitMs! + 1)).toEqual(["reads"]);
    await expect.poll(() => alive(reader!), { timeout: 5_000 }).toBe(false);
    expect(workerPids("reads")).toEqual([]);
    expect(alive(primary!)).toBe(true);
    expect(await runJob<MdxResult>("reads", { op: "render", body: QUICK }, 20_000)).toMatchObject({ ok: true });
    expect(workerPids("reads")).toHaveLength(1);
  });

  it("ends a job that overruns its deadline with its process and esbuild's, leaving no zombie", async () => {
    // Warm the lane: the first render starts esbuild's service in the worker process.
    const warm = await runJob<MdxResult>("primary", { op: "render", body: QUICK }, 20_000);
    expect(warm.ok).toBe(true);
    const [worker] = workerPids("primary");
    expect(worker).toBeDefined();
    const esbuild = childrenOf(worker!).filter((c) => c.comm.includes("esbuild"));
    expect(esbuild.length).toBeGreaterThan(0);

    const result = await runJob<MdxResult>("primary", { op: "render", body: SLOW }, 1_000);
    expect(result).toMatchObject({ ok: false, kind: "timeout" });

    await expect.poll(() => alive(worker!), { timeout: 5_000 }).toBe(false);
    for (const child of esbuild) await expect.poll(() => alive(child.pid), { timeout: 5_000 }).toBe(false);
    expect(childrenOf(process.pid).filter((c) => c.stat.startsWith("Z"))).toEqual([]);
    // The lane goes on with a fresh process.
    expect(await runJob<MdxResult>("primary", { op: "render", body: QUICK }, 20_000)).toMatchObject({ ok: true });
  });

  it("refuses at once, with 503 and Retry-After, when a lane's queue is full", async () => {
    const { processes, maxQueue } = LANES.preview;
    const holding = Array.from({ length: processes + maxQueue }, () => runJob<MdxResult>("preview", { op: "render", body: SLOW }, 1_500));
    await expect(runJob<MdxResult>("preview", { op: "render", body: QUICK }, 3_000)).rejects.toMatchObject({ code: "unavailable", status: 503, details: { retryAfterSeconds: 5 } });
    // Each job held the process for its own deadline (or was refused after waiting too long).
    const outcomes = await Promise.allSettled(holding);
    for (const o of outcomes) {
      if (o.status === "fulfilled") expect(o.value).toMatchObject({ ok: false, kind: "timeout" });
      else expect(o.reason).toMatchObject({ code: "unavailable" });
    }
  }, 60_000);

  it("keeps saves and first views moving while the preview lane is full of slow jobs", async () => {
    const previews = Array.from({ length: LANES.preview.processes + LANES.preview.maxQueue }, () => runJob<MdxResult>("preview", { op: "render", body: SLOW }, 1_500));
    const started = Date.now();
    const firstView = await runJob<MdxResult>("primary", { op: "render", body: QUICK }, 20_000);
    const validated = await runJob<MdxResult>("primary", { op: "validate", body: QUICK, lineOffset: 0 }, 20_000);
    const waited = Date.now() - started;
    expect(firstView.ok && validated.ok).toBe(true);
    // Both finished before even the first slow preview's deadline, let alone the queue behind it.
    expect(waited).toBeLessThan(1_500 * (LANES.preview.maxQueue + 1));
    await Promise.allSettled(previews);
  }, 120_000);

  it("counts a job's deadline from its start, not from the time it waited for a process", async () => {
    const slow = runJob<MdxResult>("reads", { op: "render", body: SLOW }, 2_000);
    // Queued behind two seconds of work, with a deadline shorter than that wait.
    const queued = await runJob<MdxResult>("reads", { op: "render", body: QUICK }, 1_500);
    expect(queued).toMatchObject({ ok: true });
    expect(await slow).toMatchObject({ ok: false, kind: "timeout" });
  }, 60_000);

  it("runs a save's check before the first-view renders already waiting in its lane", async () => {
    const done: string[] = [];
    const blockers = Array.from({ length: LANES.primary.processes }, () => runJob<MdxResult>("primary", { op: "render", body: SLOW }, 1_500));
    const renders = Array.from({ length: 3 }, (_, i) => runJob<MdxResult>("primary", { op: "render", body: QUICK }, 20_000, 1).then(() => done.push(`render ${i}`)));
    const check = runJob<MdxResult>("primary", { op: "validate", body: QUICK, lineOffset: 0 }, 20_000, 0).then(() => done.push("save check"));
    await Promise.all([...blockers, ...renders, check]);
    expect(done[0]).toBe("save check");
  }, 60_000);

  it(`lets one person have at most ${PREVIEWS_PER_PERSON} previews at once (429), others unaffected`, async () => {
    const mine = Array.from({ length: PREVIEWS_PER_PERSON }, () => runPreviewJob<MdxResult>("ada", { op: "render", body: SLOW }, 2_000));
    await expect(runPreviewJob<MdxResult>("ada", { op: "render", body: QUICK }, 2_000)).rejects.toMatchObject({ code: "rate_limited", status: 429 });
    // Deadlines count from the request: Bea's waits in the lane's queue behind Ada's two.
    const someoneElse = runPreviewJob<MdxResult>("bea", { op: "render", body: QUICK }, 60_000);
    await Promise.all(mine);
    expect(await someoneElse).toMatchObject({ ok: true });
    // Once hers are done, Ada may preview again.
    expect(await runPreviewJob<MdxResult>("ada", { op: "render", body: QUICK }, 60_000)).toMatchObject({ ok: true });
  }, 150_000);
});
