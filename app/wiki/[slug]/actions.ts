"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { can, refusal } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { deletePage, getPageBySlugIncludingDeleted, movePage, restorePage, setProtection } from "@/lib/wiki/page-admin";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pageRating, ratePage } from "@/lib/wiki/ratings";
import { pagePath } from "@/lib/wiki/title";
import { setWatch } from "@/lib/wiki/watchlist";

export const rateAction = formAction(
  z.object({ slug: z.string().min(1).max(300), value: z.coerce.number().int().min(1, "A rating is 1 to 5.").max(5, "A rating is 1 to 5.") }),
  async ({ slug, value }, actor) => {
    if (!can(actor, "rate")) throw new AppError("unauthorized", refusal(actor, "rate"));
    const db = getDb();
    const page = await getPageBySlug(db, slug);
    if (!page) throw new AppError("not_found:page", "That page does not exist.");
    await ratePage(db, page.id, actor!.id, value);
    revalidatePath(pagePath(page.slug));
    const rating = await pageRating(db, page.id);
    return { ok: true, message: `You rated this page ${value} out of 5.`, data: rating };
  },
);

const slugOnly = z.object({ slug: z.string().min(1).max(300), reason: z.string().max(500).default("") });

async function pageOrThrow(slug: string) {
  const page = await getPageBySlugIncludingDeleted(getDb(), slug);
  if (!page) throw new AppError("not_found:page", "That page does not exist.");
  return page;
}

export const watchAction = formAction(z.object({ slug: z.string().min(1).max(300), watch: z.enum(["true", "false"]) }), async ({ slug, watch }, actor) => {
  if (!actor || actor.blocked) throw new AppError("unauthorized", refusal(actor, "rate"));
  const page = await pageOrThrow(slug);
  await setWatch(getDb(), actor.id, page.id, watch === "true");
  return { ok: true, message: watch === "true" ? "Added to your watchlist." : "Removed from your watchlist.", data: { watching: watch === "true" } };
});

export const protectAction = formAction(slugOnly.extend({ protect: z.enum(["true", "false"]) }), async ({ slug, protect, reason }, actor) => {
  if (!can(actor, "protect")) throw new AppError("forbidden:page", refusal(actor, "protect"));
  await setProtection(getDb(), actor!.id, slug, protect === "true", reason);
  revalidatePath(pagePath(slug));
  return { ok: true, message: protect === "true" ? "The page is protected." : "Protection lifted.", data: { href: pagePath(slug) } };
});

export const deleteAction = formAction(slugOnly, async ({ slug, reason }, actor) => {
  if (!can(actor, "moderate")) throw new AppError("forbidden:page", refusal(actor, "moderate"));
  await deletePage(getDb(), actor!.id, slug, reason);
  revalidatePath(pagePath(slug));
  return { ok: true, message: "The page was deleted; its history is kept.", data: { href: pagePath(slug) } };
});

export const restoreAction = formAction(slugOnly, async ({ slug, reason }, actor) => {
  if (!can(actor, "moderate")) throw new AppError("forbidden:page", refusal(actor, "moderate"));
  await restorePage(getDb(), actor!.id, slug, reason);
  revalidatePath(pagePath(slug));
  return { ok: true, message: "The page was restored with its history.", data: { href: pagePath(slug) } };
});

export const moveAction = formAction(slugOnly.extend({ newTitle: z.string().min(1, "Give the new title.").max(300) }), async ({ slug, newTitle, reason }, actor) => {
  if (!can(actor, "moderate")) throw new AppError("forbidden:page", refusal(actor, "moderate"));
  const moved = await movePage(getDb(), actor!.id, slug, newTitle, reason);
  revalidatePath(pagePath(slug));
  return { ok: true, message: `Renamed to ${moved.title}.`, data: { href: pagePath(moved.slug) } };
});
