import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { titleField } from "@/lib/commands/fields";
import { text } from "@/lib/text";
import { previewSource, type PreviewResult } from "@/lib/wiki/preview";
import { MAX_SOURCE_CHARS } from "./save-page";
import { findPage, pageSubject } from "./subject";

/** Render unsaved source through the real pipeline for someone who may edit the page; nothing is stored. */
export const previewPageCommand = defineCommand({
  name: "preview-page",
  input: z.object({ title: titleField, content: text({ label: "Content", max: MAX_SOURCE_CHARS }) }),
  async run(ctx, input): Promise<PreviewResult> {
    authorize(ctx.actor, "edit", pageSubject(await findPage(ctx.db, input.title)));
    return previewSource(ctx.db, input.content, ctx.actor.id);
  },
});
