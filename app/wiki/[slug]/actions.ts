"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/auth/action";
import { can, refusal } from "@/lib/auth/policy";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pageRating, ratePage } from "@/lib/wiki/ratings";
import { pagePath } from "@/lib/wiki/title";

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
