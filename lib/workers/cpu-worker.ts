/**
 * The CPU worker: a child process of the server (run by the pool in
 * lib/workers/pool.ts) that validates, bundles and renders MDX. It is a
 * process, not a thread, so that a job that overruns its deadline is ended
 * with its whole process, esbuild's child included (esbuild exits when its
 * parent's pipe closes, and the system reaps it), leaving no zombie behind.
 */
import { setPriority } from "node:os";
import { env } from "@/lib/env";
import { MdxValidationError, renderBody, type TocEntry } from "@/lib/mdx/render";
import { checkMdxBody, type MdxIssue } from "@/lib/mdx/validate";

export type CpuTask = { op: "validate"; body: string; lineOffset: number } | { op: "render"; body: string };

export type CpuResult =
  | { ok: true; op: "validate"; issues: MdxIssue[]; links: string[] }
  | { ok: true; op: "render"; html: string; toc: TocEntry[] }
  | { ok: false; kind: "invalid" | "failed"; message: string };

// A lane's processes can run below the others' priority (previews yield to saves and first views).
const nice = env().PROPAGATE_WORKER_NICE;
if (nice > 0) {
  try {
    setPriority(0, nice);
  } catch {}
}

/** One job; failures are results, never exceptions (an exception here would cost the pool a process). */
export default async function run(task: CpuTask): Promise<CpuResult> {
  try {
    switch (task.op) {
      case "validate": {
        // The compiler's pipeline checks the body and, when it passes, names its outgoing wiki links.
        const { issues, links } = checkMdxBody(task.body, { lineOffset: task.lineOffset });
        return { ok: true, op: "validate", issues, links };
      }
      case "render": {
        const { html, toc } = await renderBody(task.body);
        return { ok: true, op: "render", html, toc };
      }
    }
  } catch (error) {
    return { ok: false, kind: error instanceof MdxValidationError ? "invalid" : "failed", message: error instanceof Error ? error.message : String(error) };
  }
}
