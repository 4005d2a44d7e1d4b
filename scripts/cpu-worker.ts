/**
 * The CPU worker: a child process of the server (run by the pool in
 * lib/workers/pool.ts; bundled to .build/cpu-worker.mjs) that validates, bundles and renders MDX and computes
 * diffs, and carries discussed passages through edits. It is a
 * process, not a thread, so that a job that overruns its deadline is ended
 * with its whole process, esbuild's child included (esbuild exits when its
 * parent's pipe closes, and the system reaps it), leaving no zombie behind.
 */
import { env } from "@/lib/env";
import { lowerOwnPriority } from "@/lib/workers/priority";
import { MdxValidationError, renderBody } from "@/lib/mdx/render";
import { checkMdxBody } from "@/lib/mdx/validate";
import { carryAnchors } from "@/lib/wiki/anchor";
import type { AnchorsResult, AnchorsTask } from "@/lib/wiki/anchor-jobs";
import { blame } from "@/lib/wiki/blame";
import { computeDiff } from "@/lib/wiki/diff-compute";
import type { BlameResult, BlameTask } from "@/lib/wiki/page-blame";
import type { DiffResult, DiffTask } from "@/lib/wiki/revision-diff";
import type { MdxResult, MdxTask } from "@/lib/workers/mdx-jobs";
import { imageVariant, inspectUpload, type InspectResult, type InspectTask, type VariantResult, type VariantTask } from "@/lib/media/inspect";

export type CpuTask = MdxTask | DiffTask | BlameTask | AnchorsTask | InspectTask | VariantTask;
export type CpuResult = MdxResult | DiffResult | BlameResult | AnchorsResult | InspectResult | VariantResult;

// A lane's processes run below the application server's priority, by the lane's step
// (previews yield to saves and first views); relative, since lowering a nice value needs privileges.
// Every thread: V8's helper threads (concurrent marking, compilation) exist before this runs.
lowerOwnPriority(env().PROPAGATE_WORKER_NICE);

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
      case "preview": {
        // One job for a preview: the check (with line and column), then the render when it passes.
        const { issues } = checkMdxBody(task.body, { lineOffset: task.lineOffset });
        if (issues.length > 0) return { ok: true, op: "preview", issues };
        const { html } = await renderBody(task.body);
        return { ok: true, op: "preview", issues: [], html };
      }
      case "blame": {
        // blame() reads only ids and texts; the rest of a revision is the server's to show.
        const revisions = task.revisions.map((r) => ({ ...r, authorName: "", createdAt: new Date(0), summary: "" }));
        return { ok: true, op: "blame", lines: blame(revisions, { maxRevisions: task.maxRevisions }).lines };
      }
      case "diff":
        return { ok: true, op: "diff", diff: computeDiff(task.oldText, task.newText, task.options) };
      case "anchors":
        return { ok: true, op: "anchors", resolutions: carryAnchors(task.before, task.after, task.items) };
      // The media lane: uploads' checks and re-encoding, figures' resized copies (lib/media/).
      case "inspect-upload":
        return await inspectUpload(task);
      case "image-variant":
        return await imageVariant(task);
    }
  } catch (error) {
    return { ok: false, kind: error instanceof MdxValidationError ? "invalid" : "failed", message: error instanceof Error ? error.message : String(error) };
  }
}
