import "server-only";
import { z } from "zod";
import { authorize, can } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { optionalIdField, flagField, summaryField, titleField } from "@/lib/commands/fields";
import type { Revision } from "@/lib/db/schema";
import { carryDraft, markCarried } from "@/lib/talk/carry";
import { text } from "@/lib/text";
import { savePage } from "@/lib/wiki/page-updater";
import { findPage, pageSubject, requireTitle } from "./subject";

/** Largest page source accepted, in characters (the MDX validator's byte limit is checked after). */
export const MAX_SOURCE_CHARS = 300_000;

export const savePageInput = z.object({
  title: titleField,
  content: text({ label: "Content", max: MAX_SOURCE_CHARS }),
  summary: summaryField,
  minor: flagField,
  /** The revision the editor started from; empty or null when creating the page. */
  baseRevisionId: optionalIdField,
  idempotencyKey: text({ label: "Idempotency key", max: 100, min: 8 }).optional(),
  /** Carry this talk post into the page: the revision records it and the post links to it. */
  carryPostId: optionalIdField,
});

export type SavePageResult =
  | { status: "unchanged"; slug: string; revisionId: number; revision: Revision }
  | { status: "saved"; slug: string; revisionId: number; revision: Revision; merged: boolean; duplicate: boolean; created: boolean };

/**
 * Save an edit (or create a page) as one new revision; merges with edits made
 * since the base, or refuses with the conflict. See lib/wiki/page-updater.ts.
 */
export const savePageCommand = defineCommand({
  name: "save-page",
  input: savePageInput,
  async run(ctx, input, emit): Promise<SavePageResult> {
    const title = requireTitle(input.title);
    const existing = await findPage(ctx.db, title.slug);
    authorize(ctx.actor, "edit", pageSubject(existing));
    const carry = input.carryPostId ? await carryDraft(ctx.db, title.slug, input.carryPostId) : null;
    const result = await savePage(ctx.db, {
      title: title.slug,
      content: input.content,
      authorId: ctx.actor.id,
      summary: input.summary || carry?.summary,
      minor: input.minor,
      baseRevisionId: input.baseRevisionId,
      idempotencyKey: input.idempotencyKey,
      mayEditProtected: can(ctx.actor, "protect"),
      ...(carry ? { change: { type: "carry" as const, postId: carry.postId, threadId: carry.threadId }, onSaved: markCarried(carry.postId) } : {}),
    });
    if (result.status === "unchanged") return { status: "unchanged", slug: result.page.slug, revisionId: result.revision.id, revision: result.revision };
    if (!result.duplicate) emit({ type: "page.saved", slug: result.page.slug, created: result.created, linksChanged: result.linksChanged ?? [], listingChanged: result.listingChanged });
    return { status: "saved", slug: result.page.slug, revisionId: result.revision.id, revision: result.revision, merged: result.merged, duplicate: result.duplicate, created: result.created };
  },
});

/** The revision a save produced, or why nothing was saved, in one sentence. */
export function describeSave(result: SavePageResult): string {
  if (result.status === "unchanged") return "Nothing changed: the text is the same as the current version.";
  return result.merged ? "Someone else had saved in the meantime; your edit was merged with theirs and saved." : "Saved.";
}

