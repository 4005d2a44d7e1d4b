import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { reasonField, titleField } from "@/lib/commands/fields";
import { deletePage, restorePage } from "@/lib/wiki/page-admin";
import { requirePageRow } from "./subject";

const input = z.object({ title: titleField, reason: reasonField });

/** Moderators: delete a page (hidden from readers, its history kept); logged. */
export const deletePageCommand = defineCommand({
  name: "delete-page",
  input,
  async run(ctx, input, emit): Promise<{ slug: string }> {
    authorize(ctx.actor, "moderate");
    const page = await requirePageRow(ctx.db, input.title);
    const updated = await deletePage(ctx.db, ctx.actor.id, page.slug, input.reason);
    emit({ type: "page.deleted", slug: updated.slug });
    return { slug: updated.slug };
  },
});

/** Moderators: bring a deleted page back with its history; logged. */
export const restorePageCommand = defineCommand({
  name: "restore-page",
  input,
  async run(ctx, input, emit): Promise<{ slug: string }> {
    authorize(ctx.actor, "moderate");
    const page = await requirePageRow(ctx.db, input.title);
    const updated = await restorePage(ctx.db, ctx.actor.id, page.slug, input.reason);
    emit({ type: "page.restored", slug: updated.slug });
    return { slug: updated.slug };
  },
});
