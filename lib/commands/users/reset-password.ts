import "server-only";
import { z } from "zod";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { text } from "@/lib/text";
import { resetPasswordWithToken } from "@/lib/users/accounts";
import { passwordField } from "./account-fields";

/** Set a new password with a mailed reset link: every session ends and every API token is revoked. */
export const resetPasswordCommand = defineCommand({
  name: "reset-password",
  input: z.object({ token: text({ label: "Token", max: 200, trim: true }), password: passwordField("New password") }),
  async run(ctx, input): Promise<{ reset: true }> {
    await resetPasswordWithToken(ctx.db, input.token, input.password, nowOf(ctx));
    // No event: nothing others see changed, and revalidating would redraw the reset page, whose
    // link is now used, over the answer (as with change-password).
    return { reset: true };
  },
});
