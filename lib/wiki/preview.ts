import "server-only";
import type { Database } from "@/lib/db/client";
import type { ContentIssue } from "@/lib/errors";
import { previewInWorker } from "@/lib/workers/mdx-jobs";
import { parseFrontMatter } from "./front-matter";
import { applyMediaRefs } from "./media-refs";
import { applyLinkStatus } from "./parser-cache";

export type PreviewResult = { ok: true; html: string; fields: Record<string, unknown> } | { ok: false; issues: ContentIssue[] };

/**
 * Render unsaved source through the real pipeline (front matter here; the
 * allowlist check and the render in one job of the preview lane, for `who`;
 * red links); nothing is stored.
 */
export async function previewSource(db: Database, content: string, who: string): Promise<PreviewResult> {
  const front = parseFrontMatter(content);
  if (!front.ok) return { ok: false, issues: front.issues };
  const outcome = await previewInWorker(who, front.split.body, front.split.bodyLineOffset);
  if (!outcome.ok) return { ok: false, issues: [{ line: 1, column: 1, rule: "render", message: outcome.message }] };
  if (outcome.issues.length > 0 || outcome.html === undefined) return { ok: false, issues: outcome.issues };
  return { ok: true, html: await applyMediaRefs(db, await applyLinkStatus(db, outcome.html)), fields: front.fields };
}
