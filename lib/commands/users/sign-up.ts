import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { registerAccount } from "@/lib/users/accounts";
import { emailField, nameField, passwordField } from "./account-fields";

/**
 * Create an account with email and password. The result is the same whether
 * the email was new or already registered (no enumeration): for a known
 * email nothing is created, and the explanation goes to that address (for now
 * a server log line, until the wiki sends mail). The form then tries to sign
 * in with what was typed, which works only for the person who owns the password.
 */
export const signUpCommand = defineCommand({
  name: "sign-up",
  input: z.object({ name: nameField, email: emailField, password: passwordField("Password") }),
  async run(ctx, input, emit): Promise<{ accepted: true }> {
    if (ctx.actor) throw new AppError("invalid:input", "You are already signed in.");
    const outcome = await registerAccount(ctx.db, { ...input, ip: ctx.ip });
    if (outcome.created) emit({ type: "user.changed", userId: outcome.user.id });
    else console.info(`sign-up: an account already exists for user ${outcome.existingUserId}; nothing was created (mail to the owner: not yet sent)`);
    return { accepted: true };
  },
});
