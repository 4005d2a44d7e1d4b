import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { reasonField, titleField } from "@/lib/commands/fields";
import { text } from "@/lib/text";
import { movePage } from "@/lib/wiki/page-admin";
import { requirePageRow } from "./subject";

/** Moderators: rename a page; the old title redirects to the new one. */
export const renamePageCommand = defineCommand({
  name: "rename-page",
  input: z.object({ title: titleField, newTitle: text({ label: "New title", max: 300, min: 1, trim: true }), reason: reasonField }),
  async run(ctx, input, emit): Promise<{ slug: string; title: string }> {
    authorize(ctx.actor, "moderate");
    const page = await requirePageRow(ctx.db, input.title);
    const moved = await movePage(ctx.db, ctx.actor.id, page.slug, input.newTitle, input.reason);
    emit({ type: "page.renamed", from: page.slug, to: moved.slug });
    return { slug: moved.slug, title: moved.title };
  },
});
