import "server-only";
import { runJob, runPreviewJob, type JobFailure } from "./pool";
import type { TocEntry } from "@/lib/mdx/render";
import type { MdxIssue } from "@/lib/mdx/validate";

/** MDX jobs of the CPU worker (scripts/cpu-worker.ts). */
export type MdxTask = { op: "validate"; body: string; lineOffset: number } | { op: "render"; body: string } | { op: "preview"; body: string; lineOffset: number };
export type MdxResult =
  | { ok: true; op: "validate"; issues: MdxIssue[]; links: string[] }
  | { ok: true; op: "render"; html: string; toc: TocEntry[] }
  | { ok: true; op: "preview"; issues: MdxIssue[]; html?: string }
  | { ok: false; kind: "invalid" | "failed"; message: string };

/** Deadlines per job; an overrunning job's process is ended and replaced (lib/workers/pool.ts). */
export const BUDGET_MS = { validate: 5_000, render: 15_000, preview: 10_000 } as const;

export type RenderOutcome =
  | { ok: true; html: string; toc: TocEntry[] }
  | { ok: false; kind: "invalid" | "failed" | "timeout"; message: string };
/** `links`: the body's outgoing wiki links (slugs), when it has no issues. */
export type ValidateOutcome = { ok: true; issues: MdxIssue[]; links: string[] } | { ok: false; kind: "failed" | "timeout"; message: string };

let renders = 0;

/** How many times a body was rendered (tests assert a cached page view adds none). */
export function renderCount(): number {
  return renders;
}

/**
 * Validate, bundle and render an MDX body to HTML in the pool's primary lane
 * (first views; old revisions go to the reads lane), within the render
 * budget. Throws only `unavailable` when the lane is full.
 */
export async function renderInWorker(body: string, lane: "primary" | "reads" = "primary"): Promise<RenderOutcome> {
  renders++;
  return asRender(await runJob<MdxResult>(lane, { op: "render", body } satisfies MdxTask, BUDGET_MS.render, 1), "Rendering");
}

/** A preview's outcome: the body's issues (line and column), or its HTML. */
export type PreviewOutcome = { ok: true; issues: MdxIssue[]; html?: string } | { ok: false; kind: "failed" | "timeout" | "invalid"; message: string };

/**
 * Check and render a preview in one job of the preview lane, for `who`: the
 * person's limit (two at once) is asked first, so a refused preview costs nothing.
 */
export async function previewInWorker(who: string, body: string, lineOffset = 0): Promise<PreviewOutcome> {
  renders++;
  const result = await runPreviewJob<MdxResult>(who, { op: "preview", body, lineOffset } satisfies MdxTask, BUDGET_MS.preview);
  if (!result.ok) return { ok: false, kind: result.kind, message: result.kind === "timeout" ? `The preview ${result.message}.` : result.message };
  if (result.op !== "preview") return { ok: false, kind: "failed", message: "unexpected worker response" };
  return { ok: true, issues: result.issues, ...(result.html !== undefined ? { html: result.html } : {}) };
}

/**
 * Check an MDX body against the allowlist in the primary lane, within the
 * validation budget (some inputs make the Markdown parser slow).
 */
export async function validateInWorker(body: string, lineOffset = 0): Promise<ValidateOutcome> {
  // A save's check goes before any render waiting in the lane.
  const result = await runJob<MdxResult>("primary", { op: "validate", body, lineOffset } satisfies MdxTask, BUDGET_MS.validate, 0);
  if (!result.ok) {
    if (result.kind === "timeout") return { ok: false, kind: "timeout", message: `Checking this page ${result.message}; simplify its structure (very deep or tangled markup).` };
    return { ok: false, kind: "failed", message: result.message };
  }
  if (result.op !== "validate") return { ok: false, kind: "failed", message: "unexpected worker response" };
  return { ok: true, issues: result.issues, links: result.links };
}

function asRender(result: MdxResult | JobFailure, what: string): RenderOutcome {
  if (!result.ok) return { ok: false, kind: result.kind, message: result.kind === "timeout" ? `${what} ${result.message}.` : result.message };
  if (result.op !== "render") return { ok: false, kind: "failed", message: "unexpected worker response" };
  return { ok: true, html: result.html, toc: result.toc };
}
