import "server-only";
import { z } from "zod";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { AppError } from "@/lib/errors";
import { queueAccountExistsMail, queueVerificationMail } from "@/lib/users/account-mail";
import { consume } from "@/lib/rate-limit";
import { emailSchema, getUserById, registerAccount } from "@/lib/users/accounts";
import { emailField, nameField, passwordField } from "./account-fields";

/**
 * Create an account with email and password. The result is the same whether
 * the email was new or already registered (no enumeration): a new account
 * gets a mailed link to verify its address (written in the sign-up's
 * transaction); for a known email nothing is created, and a mail tells that
 * address's owner, at most `mailRequestAddress` times an hour (else anyone
 * could flood an address by signing up with it again and again; silently, as
 * a refusal would say the address is known). The form then tries to sign in
 * with what was typed, which works only for the person who owns the password.
 */
export const signUpCommand = defineCommand({
  name: "sign-up",
  input: z.object({ name: nameField, email: emailField, password: passwordField("Password") }),
  async run(ctx, input, emit): Promise<{ accepted: true }> {
    if (ctx.actor) throw new AppError("invalid:input", "You are already signed in.");
    const now = nowOf(ctx);
    const outcome = await registerAccount(ctx.db, { ...input, ip: ctx.ip }, async (tx, result) => {
      if (result.created) await queueVerificationMail(tx, { userId: result.user.id, name: result.user.name, email: result.user.email!, origin: ctx.siteOrigin, now });
    });
    if (!outcome.created) {
      // After the sign-up's transaction: a rate limit counts on its own connection (the embedded database has one).
      const owner = await getUserById(ctx.db, outcome.existingUserId);
      const address = emailSchema.parse(input.email);
      if (owner?.email && (await consume(ctx.db, "mailRequestAddress", address)).ok) {
        await ctx.db.transaction((tx) => queueAccountExistsMail(tx, { userId: owner.id, name: owner.name, email: owner.email!, origin: ctx.siteOrigin }));
      }
    }
    emit({ type: "mail.queued" });
    if (outcome.created) emit({ type: "user.changed", userId: outcome.user.id });
    return { accepted: true };
  },
});
