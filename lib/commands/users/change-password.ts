import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { changePassword } from "@/lib/users/accounts";
import { passwordField } from "./account-fields";

/** A member changes their password; every session signed in with the old one ends. */
export const changePasswordCommand = defineCommand({
  name: "change-password",
  input: z.object({ currentPassword: passwordField("Current password").default(""), newPassword: passwordField("New password") }),
  async run(ctx, input): Promise<{ changed: true }> {
    authorize(ctx.actor, "rate");
    await changePassword(ctx.db, ctx.actor.id, input.currentPassword, input.newPassword);
    // No event: nothing shown to others changed, and this very session has just ended
    // (revalidating the profile would send the browser to the sign-in page before it reads the answer).
    return { changed: true };
  },
});
