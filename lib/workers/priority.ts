/**
 * How the wiki's processes below the front server step out of its way on a
 * busy machine (Linux; elsewhere these do nothing).
 *
 * Two things make a plain `setpriority` on a process's id too little:
 * - On Linux a nice value belongs to a thread, and `setpriority(pid)` changes
 *   only the thread whose id is the pid. A Node.js process starts V8's helper
 *   threads (concurrent marking, compilation) before any JavaScript runs, so
 *   those kept the parent's priority: every thread is set here.
 * - With autogroup scheduling (`/proc/sys/kernel/sched_autogroup_enabled`),
 *   the kernel first shares the CPU between sessions, evenly whatever the
 *   nice values inside them; a nice value only ranks threads within their
 *   session. While the application server and its workers shared the front's
 *   session, the front was charged for all their CPU: under a flood of
 *   expensive requests its session used more than its share, and a cache hit
 *   waited for PostgreSQL's session and any other to catch up. The front
 *   starts the application server in a session of its own (`detached`), and
 *   the application server lowers that session's group here.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

export type Lowered = { threads: number; nice: number | null; autogroupNice: number | null };

/**
 * Lower every thread of this process by `step` (at most to 19), and its
 * session's group by `groupStep` when it leads a session of its own.
 */
export function lowerOwnPriority(step: number, groupStep = step): Lowered {
  if (step <= 0 || process.platform !== "linux") return { threads: 0, nice: null, autogroupNice: null };
  let threads = 0;
  let nice: number | null = null;
  for (const tid of listThreads()) {
    try {
      const target = Math.min(19, getPriority(tid) + step);
      setPriority(tid, target);
      nice ??= target;
      threads++;
    } catch {
      // A thread that has just ended, or a platform that refuses: the others still step down.
    }
  }
  return { threads, nice, autogroupNice: leadsSession() && groupStep > 0 ? lowerAutogroup(groupStep) : null };
}

/** This process's threads' ids (the main thread's id is the pid). */
function listThreads(): number[] {
  try {
    return readdirSync("/proc/self/task").map(Number).filter(Number.isInteger);
  } catch {
    return [process.pid];
  }
}

/** Whether this process leads its session (it was started with setsid, Node's `detached`): its autogroup is its own. */
function leadsSession(): boolean {
  try {
    // Fields after the command's closing parenthesis: state, ppid, pgrp, session, …
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[3]) === process.pid;
  } catch {
    return false;
  }
}

/** The nice of this process's autogroup, if the kernel has autogroups. */
export function autogroupNice(pid: number | "self" = "self"): number | null {
  try {
    const match = /nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function lowerAutogroup(step: number): number | null {
  const current = autogroupNice();
  if (current === null) return null;
  const target = Math.min(19, current + step);
  // The kernel takes at most ten changes a second across the machine (EAGAIN past it): try a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync("/proc/self/autogroup", String(target));
      return autogroupNice();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return null;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
    }
  }
  return null;
}
