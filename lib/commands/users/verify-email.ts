import "server-only";
import { z } from "zod";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { text } from "@/lib/text";
import { verifyEmail } from "@/lib/users/accounts";

/** Follow a mailed confirmation link: the address becomes the account's verified one (no sign-in needed: the link is the proof). */
export const verifyEmailCommand = defineCommand({
  name: "verify-email",
  input: z.object({ token: text({ label: "Token", max: 200, trim: true }) }),
  async run(ctx, input, emit): Promise<{ email: string; promoted: boolean }> {
    const { user, promoted } = await verifyEmail(ctx.db, input.token, nowOf(ctx));
    emit({ type: "user.changed", userId: user.id });
    return { email: user.email!, promoted };
  },
});
