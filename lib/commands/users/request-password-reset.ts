import "server-only";
import { z } from "zod";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { consume } from "@/lib/rate-limit";
import { queuePasswordResetMail } from "@/lib/users/account-mail";
import { emailSchema, getUserByEmail } from "@/lib/users/accounts";
import { emailField } from "./account-fields";

/**
 * "Forgot password?": mail a reset link (one hour, once) to the account with
 * this address. The answer is the same for a known and an unknown address;
 * requests are limited per network and per address.
 */
export const requestPasswordResetCommand = defineCommand({
  name: "request-password-reset",
  input: z.object({ email: emailField }),
  async run(ctx, input, emit): Promise<{ accepted: true }> {
    const email = emailSchema.safeParse(input.email);
    if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message, { field: "email" });
    const byIp = await consume(ctx.db, "mailRequestIp", ctx.ip);
    if (!byIp.ok) throw new AppError("rate_limited", "Too many requests from your network; try again later.", { retryAfterSeconds: byIp.retryAfterSeconds });
    // Per address, silently: a refusal here would tell that the address is being asked about.
    const byAddress = await consume(ctx.db, "mailRequestAddress", email.data);
    const user = byAddress.ok ? await getUserByEmail(ctx.db, email.data) : null;
    if (user && user.email && !user.isSystem && !user.blockedAt) {
      const now = nowOf(ctx);
      await ctx.db.transaction((tx) => queuePasswordResetMail(tx, { userId: user.id, name: user.name, email: user.email!, origin: ctx.siteOrigin, now }));
      emit({ type: "mail.queued" });
    }
    return { accepted: true };
  },
});
