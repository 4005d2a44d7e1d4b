/**
 * A wiki of its own for a test or a benchmark: `npm start` in its own process
 * group (launcher, front server, application server, workers), and what can
 * be read of its processes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { freePort } from "./free-port";

type Running = { child: ChildProcess; base: string; stop: () => Promise<void> };

/** `npm start` in its own process group, with this environment (and `args`, e.g. --no-build); resolves once `probe` answers 200. */
export async function startApp(env: Record<string, string>, probe = "/api/health", timeoutMs = 600_000, args: string[] = []): Promise<Running & { readyMs: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // As package.json's start script runs it: one Node process with tsx's loader (tsx's CLI would add a process of its own).
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/start.ts", ...args], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}`);
    try {
      if ((await fetch(base + probe)).ok) return { child, base, stop, readyMs: performance.now() - started };
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error("npm start did not serve a page in time");
}

export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return []; // it has just exited
  }
}

function ownRssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
    return line ? Number(line[1]) : 0;
  } catch {
    return 0;
  }
}

/** The resident memory of a process and all its descendants (the front, the application server, its workers), in MiB. */
export function rssMiB(pid: number): number {
  let kib = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    kib += ownRssKiB(next);
    stack.push(...childrenOf(next));
  }
  return kib / 1024;
}

/** A process's share of memory: resident (shared pages counted in full) and proportional (shared pages divided among their sharers). */
export type ProcessMemory = { pid: number; command: string; rssKiB: number; pssKiB: number };

function ownPssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB$/m);
    return line ? Number(line[1]) : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/**
 * Every process of the tree under `pid` with its memory. Summing RSS counts
 * pages that processes share (Node.js's own binary, about 44 MiB, in every
 * Node process) once per process; summing PSS counts each page once, as the
 * kernel does when it charges the tree's memory.
 */
export function treeMemory(pid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push({ pid: next, command: commandOf(next), rssKiB: ownRssKiB(next), pssKiB: ownPssKiB(next) });
    stack.push(...childrenOf(next));
  }
  return out;
}

/** The first descendant of `pid` whose command line contains `fragment` (e.g. "app-server.mjs"), or null. */
export function findDescendant(pid: number, fragment: string): number | null {
  const stack = [...childrenOf(pid)];
  while (stack.length > 0) {
    const next = stack.shift()!;
    try {
      if (readFileSync(`/proc/${next}/cmdline`, "utf8").includes(fragment)) return next;
    } catch {}
    stack.push(...childrenOf(next));
  }
  return null;
}
