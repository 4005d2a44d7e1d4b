import "server-only";
import { z } from "zod";
import { defineCommand } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { consume } from "@/lib/rate-limit";
import { queuePasswordResetRequest } from "@/lib/users/account-mail";
import { emailSchema } from "@/lib/users/accounts";
import { emailField } from "./account-fields";

/**
 * "Forgot password?": mail a reset link (one hour, once) to the account with
 * this address. The answer, and the work done before it, are the same for a
 * known and an unknown address: the request is queued, and the mail loop
 * looks the account up (queuePasswordResetRequest). Requests are limited per
 * network and per address.
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
    if (byAddress.ok) {
      await queuePasswordResetRequest(ctx.db, { email: email.data, origin: ctx.siteOrigin });
      emit({ type: "mail.queued" });
    }
    return { accepted: true };
  },
});
