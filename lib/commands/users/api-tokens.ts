import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { createApiToken, revokeApiToken } from "@/lib/auth/tokens";
import { defineCommand } from "@/lib/commands/command";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";

/**
 * Create a personal API token (shown once). An administrator (the operator's
 * CLI) may create one for another user.
 */
export const createTokenCommand = defineCommand({
  name: "create-token",
  input: z.object({
    name: text({ label: "Token name", max: 200, trim: true }),
    scope: z.enum(["read", "write"], { error: "Choose read or write." }),
    userId: z.uuid({ error: "No such user." }).optional(),
  }),
  async run(ctx, input, emit): Promise<{ id: number; token: string; name: string; scope: "read" | "write" }> {
    authorize(ctx.actor, "rate");
    const owner = input.userId ?? ctx.actor.id;
    if (owner !== ctx.actor.id) authorize(ctx.actor, "administer");
    const created = await createApiToken(ctx.db, owner, input.name, input.scope);
    emit({ type: "user.changed", userId: owner });
    return { id: created.id, token: created.token, name: created.name, scope: created.scope };
  },
});

/** Revoke one of one's own API tokens. */
export const revokeTokenCommand = defineCommand({
  name: "revoke-token",
  input: z.object({ id: idSchema }),
  async run(ctx, input, emit): Promise<{ revoked: number }> {
    authorize(ctx.actor, "rate");
    await revokeApiToken(ctx.db, ctx.actor.id, input.id);
    emit({ type: "user.changed", userId: ctx.actor.id });
    return { revoked: input.id };
  },
});
