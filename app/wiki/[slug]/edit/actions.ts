"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { can, refusal } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { carryDraft, markCarried } from "@/lib/talk/carry";
import { getPageBySlugIncludingDeleted } from "@/lib/wiki/page-admin";
import { savePage } from "@/lib/wiki/page-updater";
import { previewSource } from "@/lib/wiki/preview";
import { pagePath } from "@/lib/wiki/title";
import { idSchema } from "@/lib/ids";

const MAX_SOURCE = 300_000;

async function editSubject(slug: string) {
  const page = await getPageBySlugIncludingDeleted(getDb(), slug);
  return { page: page ? { protection: page.protection, deleted: page.deletedAt !== null } : undefined };
}

export const previewAction = formAction(
  z.object({ slug: z.string().min(1).max(300), content: z.string().max(MAX_SOURCE, "The page is over the size limit (256 KB).") }),
  async ({ slug, content }, actor) => {
    const subject = await editSubject(slug);
    if (!can(actor, "edit", subject)) throw new AppError("forbidden:page", refusal(actor, "edit", subject));
    const result = await previewSource(getDb(), content);
    return result.ok ? { ok: true, data: { html: result.html } } : { error: "The page has errors.", data: { issues: result.issues } };
  },
);

export const saveAction = formAction(
  z.object({
    slug: z.string().min(1).max(300),
    content: z.string().max(MAX_SOURCE, "The page is over the size limit (256 KB)."),
    summary: z.string().max(500, "An edit summary can be at most 500 characters.").default(""),
    minor: z.enum(["on", "true", "false"]).optional(),
    baseRevisionId: z.union([z.literal(""), idSchema]).optional(),
    idempotencyKey: z.string().min(8).max(100),
    carryPostId: idSchema.optional(),
  }),
  async (input, actor) => {
    const subject = await editSubject(input.slug);
    if (!can(actor, "edit", subject)) throw new AppError("forbidden:page", refusal(actor, "edit", subject));
    const carry = input.carryPostId ? await carryDraft(getDb(), input.slug, input.carryPostId) : null;
    try {
      const result = await savePage(getDb(), {
        title: input.slug,
        content: input.content,
        authorId: actor!.id,
        summary: input.summary || carry?.summary,
        minor: input.minor === "on" || input.minor === "true",
        ...(carry ? { change: { type: "carry" as const, postId: carry.postId, threadId: carry.threadId }, onSaved: markCarried(carry.postId) } : {}),
        baseRevisionId: typeof input.baseRevisionId === "number" ? input.baseRevisionId : null,
        idempotencyKey: input.idempotencyKey,
        mayEditProtected: can(actor, "protect"),
      });
      revalidatePath(pagePath(result.page.slug));
      if (result.status === "unchanged") return { ok: true, message: "Nothing changed: the text is the same as the current version.", data: { unchanged: true } };
      return {
        ok: true,
        message: result.merged ? "Someone else had saved in the meantime; your edit was merged with theirs and saved." : "Saved.",
        data: { revisionId: result.revision.id, merged: result.merged, href: `${pagePath(result.page.slug)}${result.merged ? "?merged=1" : ""}` },
      };
    } catch (error) {
      if (error instanceof AppError && error.code === "invalid:content") return { error: error.message, data: { issues: error.details.issues ?? [] } };
      if (error instanceof AppError && error.code === "conflict:revision" && typeof error.details.theirs === "string") {
        return { error: error.message, data: { conflict: { theirs: error.details.theirs, marked: error.details.marked ?? null, latestRevisionId: error.details.latestRevisionId, conflicts: error.details.conflicts ?? [] } } };
      }
      throw error;
    }
  },
);
