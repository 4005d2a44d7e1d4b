import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { flagField, reasonField, titleField } from "@/lib/commands/fields";
import { setProtection } from "@/lib/wiki/page-admin";
import { requirePageRow } from "./subject";

/** Protect a page (only moderators may then edit it) or lift protection; logged. */
export const protectPageCommand = defineCommand({
  name: "protect-page",
  input: z.object({ title: titleField, protect: flagField, reason: reasonField }),
  async run(ctx, input, emit): Promise<{ slug: string; protected: boolean }> {
    authorize(ctx.actor, "protect");
    const page = await requirePageRow(ctx.db, input.title);
    const updated = await setProtection(ctx.db, ctx.actor.id, page.slug, input.protect, input.reason);
    emit({ type: "page.protected", slug: updated.slug });
    return { slug: updated.slug, protected: updated.protection === "moderators" };
  },
});
