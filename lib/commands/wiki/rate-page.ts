import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { AppError } from "@/lib/errors";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pageRating, ratePage } from "@/lib/wiki/ratings";
import { requireTitle } from "./subject";

/** A member rates a page 1–5; rating again replaces the earlier value. */
export const ratePageCommand = defineCommand({
  name: "rate-page",
  input: z.object({ title: titleField, value: z.coerce.number({ error: "A rating is 1 to 5." }).int("A rating is 1 to 5.").min(1, "A rating is 1 to 5.").max(5, "A rating is 1 to 5.") }),
  async run(ctx, input, emit): Promise<{ value: number; average: number | null; count: number }> {
    authorize(ctx.actor, "rate");
    const page = await getPageBySlug(ctx.db, requireTitle(input.title).slug);
    if (!page) throw new AppError("not_found:page", "That page does not exist.");
    await ratePage(ctx.db, page.id, ctx.actor.id, input.value);
    emit({ type: "page.rated", slug: page.slug });
    return { value: input.value, ...(await pageRating(ctx.db, page.id)) };
  },
});
