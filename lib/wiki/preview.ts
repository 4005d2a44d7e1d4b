import "server-only";
import type { Database } from "@/lib/db/client";
import type { ContentIssue } from "@/lib/errors";
import { previewInWorker } from "@/lib/workers/mdx-jobs";
import { splitFrontMatter } from "./front-matter";
import { applyLinkStatus } from "./parser-cache";
import { parseSource } from "./source";

export type PreviewResult = { ok: true; html: string; fields: Record<string, unknown> } | { ok: false; issues: ContentIssue[] };

/** Render unsaved source through the real pipeline (validation, bundling, red links) in the preview lane, for `who`; nothing is stored. */
export async function previewSource(db: Database, content: string, who: string): Promise<PreviewResult> {
  const parsed = await parseSource(content);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const outcome = await previewInWorker(who, splitFrontMatter(content).body);
  if (!outcome.ok) return { ok: false, issues: [{ line: 1, column: 1, rule: "render", message: outcome.message }] };
  return { ok: true, html: await applyLinkStatus(db, outcome.html), fields: parsed.value.fields };
}
