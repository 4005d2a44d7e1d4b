import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { queueAccountExistsMail, queueVerificationMail } from "@/lib/users/account-mail";
import { emailSchema, getUserById, startEmailChange } from "@/lib/users/accounts";
import { AppError } from "@/lib/errors";
import { consume } from "@/lib/rate-limit";
import { emailField, passwordField } from "./account-fields";

/**
 * A member moves their account to another address: a link goes to the new
 * address, and the account keeps the old one until it is followed. The same
 * answer when another account has the address (its owner is told instead).
 * Each try mails someone, so tries are limited per address asked for
 * (alike whoever has it) and per account (startEmailChange: an account
 * without a password is asked for none, and nothing else bounded it).
 */
export const changeEmailCommand = defineCommand({
  name: "change-email",
  input: z.object({ email: emailField, password: passwordField("Current password").default("") }),
  async run(ctx, input, emit): Promise<{ email: string }> {
    authorize(ctx.actor, "rate");
    const now = nowOf(ctx);
    const email = emailSchema.safeParse(input.email);
    if (!email.success) throw new AppError("invalid:input", email.error.issues[0]!.message, { field: "email" });
    const byAddress = await consume(ctx.db, "mailRequestAddress", email.data);
    if (!byAddress.ok) throw new AppError("rate_limited", "Too many confirmation mails were asked for; try again later.", { retryAfterSeconds: byAddress.retryAfterSeconds });
    const result = await startEmailChange(ctx.db, { userId: ctx.actor.id, email: input.email, password: input.password }, async (tx, outcome) => {
      if (outcome.free) await queueVerificationMail(tx, { userId: outcome.user.id, name: outcome.user.name, email: outcome.email, origin: ctx.siteOrigin, now });
      else if (outcome.owner.email) await queueAccountExistsMail(tx, { userId: outcome.owner.id, name: outcome.owner.name, email: outcome.owner.email, origin: ctx.siteOrigin });
    });
    emit({ type: "mail.queued" }, { type: "user.changed", userId: ctx.actor.id });
    return result;
  },
});

/** Mail the confirmation link again (to the waiting new address, or to the unverified current one). */
export const resendVerificationCommand = defineCommand({
  name: "resend-verification",
  input: z.object({}),
  async run(ctx, _input, emit): Promise<{ email: string }> {
    authorize(ctx.actor, "rate");
    const user = await getUserById(ctx.db, ctx.actor.id);
    const email = user?.pendingEmail ?? (user?.emailVerified ? null : user?.email);
    if (!user || !email) throw new AppError("invalid:input", "Your address is already confirmed.");
    const limit = await consume(ctx.db, "mailRequestAddress", email);
    if (!limit.ok) throw new AppError("rate_limited", "A link was sent a short while ago; look for it, or try again later.", { retryAfterSeconds: limit.retryAfterSeconds });
    await ctx.db.transaction((tx) => queueVerificationMail(tx, { userId: user.id, name: user.name, email, origin: ctx.siteOrigin, now: nowOf(ctx) }));
    emit({ type: "mail.queued" });
    return { email };
  },
});
