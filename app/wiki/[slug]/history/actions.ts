"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { pagePath } from "@/lib/wikitext/title";
import { revertPageCommand } from "@/lib/commands/wiki/revert-page";
import { rollbackPageCommand } from "@/lib/commands/wiki/rollback-page";
import { undoRevisionCommand } from "@/lib/commands/wiki/undo-revision";
import { hideFileRevisionCommand } from "@/lib/commands/media/hide-file-revision";
import { showFileRevisionCommand } from "@/lib/commands/media/show-file-revision";

export type HistoryData = { href: string; revisionId: number };

export const revertAction = formAction(revertPageCommand, {
  present: (result): FormState<HistoryData> => ({ ok: true, message: `Restored revision ${result.of} as a new revision.`, data: { href: pagePath(result.slug, "/history"), revisionId: result.revisionId } }),
});

export const undoAction = formAction(undoRevisionCommand, {
  present: (result): FormState<HistoryData> => ({ ok: true, message: `Undid revision ${result.of}.`, data: { href: pagePath(result.slug, "/history"), revisionId: result.revisionId } }),
});

export const rollbackAction = formAction(rollbackPageCommand, {
  present: (result): FormState<HistoryData> => ({ ok: true, message: "Rolled back.", data: { href: pagePath(result.slug, "/history"), revisionId: result.revisionId } }),
});

export const hideFileAction = formAction(hideFileRevisionCommand, {
  present: (result): FormState<{ href: string }> => ({ ok: true, message: "The file of this revision is hidden: its address answers 404 for everyone.", data: { href: pagePath(result.slug, "/history") } }),
});

export const showFileAction = formAction(showFileRevisionCommand, {
  present: (result): FormState<{ href: string }> => ({
    ok: true,
    message: result.served ? "The file of this revision is shown again." : "This revision is no longer hidden, but another upload of the same file still is: its bytes stay hidden.",
    data: { href: pagePath(result.slug, "/history") },
  }),
});
