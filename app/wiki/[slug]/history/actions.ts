"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { can, refusal } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPageBySlugIncludingDeleted } from "@/lib/wiki/page-admin";
import { revertToRevision, rollback, undoRevision } from "@/lib/wiki/page-actions";
import { pagePath } from "@/lib/wiki/title";
import { idSchema } from "@/lib/ids";

const input = z.object({ slug: z.string().min(1).max(300), revisionId: idSchema });

async function subject(slug: string) {
  const page = await getPageBySlugIncludingDeleted(getDb(), slug);
  if (!page) throw new AppError("not_found:page", "There is no page with this title.");
  return { page: { protection: page.protection, deleted: page.deletedAt !== null } };
}

export const revertAction = formAction(input, async ({ slug, revisionId }, actor) => {
  const s = await subject(slug);
  if (!can(actor, "edit", s)) throw new AppError("forbidden:page", refusal(actor, "edit", s));
  const result = await revertToRevision(getDb(), { slug, revisionId, actorId: actor!.id, actorName: actor!.name, mayEditProtected: can(actor, "protect") });
  revalidatePath(pagePath(slug));
  return { ok: true, message: `Restored revision ${revisionId} as a new revision.`, data: { href: pagePath(slug, "/history"), revisionId: result.revision.id } };
});

export const undoAction = formAction(input, async ({ slug, revisionId }, actor) => {
  const s = await subject(slug);
  if (!can(actor, "edit", s)) throw new AppError("forbidden:page", refusal(actor, "edit", s));
  const result = await undoRevision(getDb(), { slug, revisionId, actorId: actor!.id, mayEditProtected: can(actor, "protect") });
  revalidatePath(pagePath(slug));
  return { ok: true, message: `Undid revision ${revisionId}.`, data: { href: pagePath(slug, "/history"), revisionId: result.revision.id } };
});

export const rollbackAction = formAction(z.object({ slug: z.string().min(1).max(300) }), async ({ slug }, actor) => {
  if (!can(actor, "moderate")) throw new AppError("forbidden:page", refusal(actor, "moderate"));
  const result = await rollback(getDb(), { slug, actorId: actor!.id });
  revalidatePath(pagePath(slug));
  return { ok: true, message: "Rolled back.", data: { href: pagePath(slug, "/history"), revisionId: result.revision.id } };
});
