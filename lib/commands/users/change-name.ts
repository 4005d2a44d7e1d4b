import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { changeName } from "@/lib/users/accounts";
import { nameField } from "./account-fields";

/** A member changes their display name (shown in histories, so cached pages are purged). */
export const changeNameCommand = defineCommand({
  name: "change-name",
  input: z.object({ name: nameField }),
  async run(ctx, input, emit): Promise<{ name: string }> {
    authorize(ctx.actor, "rate");
    const { user, renamed } = await changeName(ctx.db, ctx.actor.id, input.name);
    emit({ type: renamed ? "user.renamed" : "user.changed", userId: user.id });
    return { name: user.name };
  },
});
