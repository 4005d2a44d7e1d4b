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
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/start.ts", ...args], {
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
