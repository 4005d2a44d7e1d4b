import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { createApiToken, revokeApiToken, TOKEN_DAYS } from "@/lib/auth/tokens";
import { defineCommand } from "@/lib/commands/command";
import { idSchema } from "@/lib/ids";
import { text } from "@/lib/text";

const days = z.coerce
  .number({ error: "Choose how many days the token lasts." })
  .int("A token lasts a whole number of days.")
  .min(1, "A token lasts at least 1 day.")
  .max(TOKEN_DAYS.max, `A token lasts at most ${TOKEN_DAYS.max} days.`);

/**
 * Create a personal API token (shown once) that expires after `days` days
 * (default 90). An administrator (the operator's CLI) may create one for
 * another user.
 */
export const createTokenCommand = defineCommand({
  name: "create-token",
  input: z.object({
    name: text({ label: "Token name", max: 200, trim: true }),
    scope: z.enum(["read", "write"], { error: "Choose read or write." }),
    days: z.preprocess((v) => (v === "" || v === undefined ? TOKEN_DAYS.default : v), days),
    userId: z.uuid({ error: "No such user." }).optional(),
  }),
  async run(ctx, input, emit): Promise<{ id: number; token: string; name: string; scope: "read" | "write"; expiresAt: Date }> {
    authorize(ctx.actor, "rate");
    const owner = input.userId ?? ctx.actor.id;
    if (owner !== ctx.actor.id) authorize(ctx.actor, "administer");
    const created = await createApiToken(ctx.db, owner, input.name, input.scope, input.days);
    emit({ type: "user.changed", userId: owner });
    return { id: created.id, token: created.token, name: created.name, scope: created.scope, expiresAt: created.expiresAt };
  },
});

/** Revoke one of one's own API tokens; an administrator (the operator's CLI, `anyUser`) revokes anyone's. */
export const revokeTokenCommand = defineCommand({
  name: "revoke-token",
  input: z.object({ id: idSchema, anyUser: z.literal(true).optional() }),
  async run(ctx, input, emit): Promise<{ revoked: number }> {
    authorize(ctx.actor, "rate");
    if (input.anyUser) authorize(ctx.actor, "administer");
    const { userId } = await revokeApiToken(ctx.db, input.anyUser ? undefined : ctx.actor.id, input.id);
    emit({ type: "user.changed", userId });
    return { revoked: input.id };
  },
});
