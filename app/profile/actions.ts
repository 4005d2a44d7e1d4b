"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { createTokenCommand, revokeTokenCommand } from "@/lib/commands/users/api-tokens";
import { changeNameCommand } from "@/lib/commands/users/change-name";
import { changePasswordCommand } from "@/lib/commands/users/change-password";
import { endAllSessionsCommand, endSessionCommand } from "@/lib/commands/users/sessions";
import { changeEmailCommand, resendVerificationCommand } from "@/lib/commands/users/change-email";
import { setMailPreferencesCommand } from "@/lib/commands/users/mail-preferences";

export type TokenData = { token: string };

export const changeNameAction = formAction(changeNameCommand, {
  present: (r): FormState => ({ ok: true, message: `Your name is now ${r.name}.` }),
});

export const changePasswordAction = formAction(changePasswordCommand, {
  present: (): FormState => ({
    ok: true,
    message: "Your password was changed, and every session signed in with the old one has ended (this one too): sign in again with the new password.",
  }),
});

export const createTokenAction = formAction(createTokenCommand, {
  // A form makes tokens for the one signed in; only the operator's CLI names another user.
  input: ({ name, scope, days }) => ({ name, scope, days }),
  present: (r): FormState<TokenData> => ({
    ok: true,
    message: `Copy this token now; it will not be shown again. It expires on ${r.expiresAt.toISOString().slice(0, 10)}.`,
    data: { token: r.token },
  }),
});

export const revokeTokenAction = formAction(revokeTokenCommand, {
  input: ({ id }) => ({ id }),
  present: (): FormState => ({ ok: true, message: "The token was revoked." }),
});

export const endSessionAction = formAction(endSessionCommand, {
  present: (): FormState => ({ ok: true, message: "That session has ended." }),
});

export const endAllSessionsAction = formAction(endAllSessionsCommand, {
  present: (r): FormState => ({
    ok: true,
    message: `Signed out everywhere (${r.ended} ${r.ended === 1 ? "session" : "sessions"}, this one too): sign in again to go on.`,
  }),
});

export const changeEmailAction = formAction(changeEmailCommand, {
  present: (r): FormState => ({ ok: true, message: `We mailed a link to ${r.email}: follow it to make it your address. Until then your account keeps the old one.` }),
});

export const resendVerificationAction = formAction(resendVerificationCommand, {
  present: (r): FormState => ({ ok: true, message: `We mailed a new confirmation link to ${r.email}.` }),
});

export const setMailPreferencesAction = formAction(setMailPreferencesCommand, {
  present: (r): FormState => ({ ok: true, message: r.mail === "never" ? "You will get no notification mail." : r.mail === "daily" ? "You will get one digest a day." : "You will get notifications by mail as they happen (at most one mail per page an hour)." }),
});
