import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { signUp } from "@/lib/users/accounts";
import { emailField, nameField, passwordField } from "./account-fields";

/** Create an account with email and password (the form then signs in through next-auth). */
export const signUpCommand = defineCommand({
  name: "sign-up",
  input: z.object({ name: nameField, email: emailField, password: passwordField("Password") }),
  async run(ctx, input, emit): Promise<{ name: string; role: string }> {
    if (ctx.actor) throw new AppError("invalid:input", "You are already signed in.");
    const user = await signUp(ctx.db, { ...input, ip: ctx.ip });
    emit({ type: "user.changed", userId: user.id });
    return { name: user.name, role: user.role };
  },
});
