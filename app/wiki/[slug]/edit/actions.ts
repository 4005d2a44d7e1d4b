"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import type { ContentIssue } from "@/lib/errors";
import { pagePath } from "@/lib/wikitext/title";
import { previewPageCommand } from "@/lib/commands/wiki/preview-page";
import { describeSave, savePageCommand } from "@/lib/commands/wiki/save-page";

export type EditConflict = { theirs: string; marked: string | null; latestRevisionId: number | null; conflicts: unknown[] };

/** What the editor's preview and save answer. */
export type EditorData = {
  html?: string;
  issues?: ContentIssue[];
  unchanged?: boolean;
  revisionId?: number;
  merged?: boolean;
  href?: string;
  conflict?: EditConflict;
};

export const previewAction = formAction(previewPageCommand, {
  present: (result): FormState<EditorData> => (result.ok ? { ok: true, data: { html: result.html } } : { error: "The page has errors.", data: { issues: result.issues } }),
});

export const saveAction = formAction(savePageCommand, {
  present: (result): FormState<EditorData> => {
    if (result.status === "unchanged") return { ok: true, message: describeSave(result), data: { unchanged: true } };
    // The page view confirms what happened: created, merged with someone else's edit, or saved.
    const outcome = result.created ? "created=1" : result.merged ? "merged=1" : "saved=1";
    return { ok: true, message: describeSave(result), data: { revisionId: result.revisionId, merged: result.merged, href: `${pagePath(result.slug)}?${outcome}` } };
  },
  refused: (error): FormState<EditorData> | undefined => {
    if (error.code === "invalid:content") return { error: error.message, data: { issues: (error.details.issues ?? []) as ContentIssue[] } };
    if (error.code === "conflict:revision" && typeof error.details.theirs === "string") {
      const d = error.details;
      const conflict: EditConflict = {
        theirs: d.theirs as string,
        marked: (d.marked as string | undefined) ?? null,
        latestRevisionId: (d.latestRevisionId as number | undefined) ?? null,
        conflicts: (d.conflicts as unknown[] | undefined) ?? [],
      };
      return { error: error.message, data: { conflict } };
    }
    return undefined;
  },
});
