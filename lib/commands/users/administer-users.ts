import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { roles } from "@/lib/db/schema";
import { createUserAsOperator, setBlocked, setRole } from "@/lib/users/accounts";
import { emailField, nameField, passwordField } from "./account-fields";

const userId = z.uuid({ error: "No such user." });

/** Administrators set a user's role (an admin cannot demote themself). */
export const setRoleCommand = defineCommand({
  name: "set-role",
  input: z.object({ userId, role: z.enum(roles, { error: "Unknown role." }) }),
  async run(ctx, input, emit): Promise<{ name: string; role: string }> {
    authorize(ctx.actor, "administer");
    const user = await setRole(ctx.db, ctx.actor.id, input.userId, input.role);
    emit({ type: "user.changed", userId: user.id });
    return { name: user.name, role: user.role };
  },
});

/** Administrators block or unblock a user; a blocked user's next request is refused. */
export const setBlockedCommand = defineCommand({
  name: "set-blocked",
  input: z.object({ userId, blocked: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]) }),
  async run(ctx, input, emit): Promise<{ name: string; blocked: boolean }> {
    authorize(ctx.actor, "administer");
    // The block and the revocation of the user's tokens land together or not at all.
    const actorId = ctx.actor.id;
    const user = await ctx.db.transaction((tx) => setBlocked(tx, actorId, input.userId, input.blocked));
    emit({ type: "user.blocked", userId: user.id, blocked: user.blockedAt !== null });
    return { name: user.name, blocked: user.blockedAt !== null };
  },
});

/** Administrators (the operator's CLI) create an account with any role; the password is optional. */
export const createUserCommand = defineCommand({
  name: "create-user",
  input: z.object({ name: nameField, email: emailField, role: z.enum(roles, { error: `A role is one of ${roles.join(", ")}.` }), password: passwordField("Password").optional() }),
  async run(ctx, input, emit): Promise<{ name: string; email: string | null; role: string; hasPassword: boolean }> {
    authorize(ctx.actor, "administer");
    const user = await createUserAsOperator(ctx.db, input);
    emit({ type: "user.changed", userId: user.id });
    return { name: user.name, email: user.email, role: user.role, hasPassword: user.passwordHash !== null };
  },
});
