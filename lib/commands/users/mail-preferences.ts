import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand, nowOf } from "@/lib/commands/command";
import { mailChoices, type MailChoice } from "@/lib/db/schema/users";
import { AppError } from "@/lib/errors";
import { flagField } from "@/lib/commands/fields";
import { text } from "@/lib/text";
import { isUnsubscribeToken } from "@/lib/mail/unsubscribe";
import { setMailChoice } from "@/lib/users/mail-preferences";

/** A member chooses how notifications reach them by mail: at once, a daily digest, or never; and whether watched pages' minor edits count. */
export const setMailPreferencesCommand = defineCommand({
  name: "set-mail-preferences",
  input: z.object({ mail: z.enum(mailChoices, { message: "Choose at once, daily digest or never." }), minorEdits: flagField }),
  async run(ctx, input, emit): Promise<{ mail: MailChoice }> {
    authorize(ctx.actor, "rate");
    await setMailChoice(ctx.db, ctx.actor.id, { mail: input.mail, minorEdits: input.minorEdits }, nowOf(ctx));
    emit({ type: "user.changed", userId: ctx.actor.id });
    return { mail: input.mail };
  },
});

/** One-click unsubscribe (RFC 8058) and the unsubscribe page: the link's token is the proof, no sign-in needed. */
export const unsubscribeCommand = defineCommand({
  name: "unsubscribe",
  input: z.object({
    user: text({ label: "User", max: 100, trim: true }),
    token: text({ label: "Token", max: 100, trim: true }),
    /** RFC 8058's POST body ("One-Click"); the page's form sends none. */
    "List-Unsubscribe": text({ label: "List-Unsubscribe", max: 20 }).optional(),
  }),
  async run(ctx, input, emit): Promise<{ unsubscribed: true }> {
    if (!isUnsubscribeToken(input.user, input.token)) throw new AppError("invalid:input", "This unsubscribe link is not valid.");
    await setMailChoice(ctx.db, input.user, { mail: "never" }, nowOf(ctx));
    emit({ type: "user.changed", userId: input.user });
    return { unsubscribed: true };
  },
});
