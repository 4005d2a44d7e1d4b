"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { createTokenCommand, revokeTokenCommand } from "@/lib/commands/users/api-tokens";
import { changeNameCommand } from "@/lib/commands/users/change-name";
import { changePasswordCommand } from "@/lib/commands/users/change-password";

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
  input: ({ name, scope }) => ({ name, scope }),
  present: (r): FormState<TokenData> => ({ ok: true, message: "Copy this token now; it will not be shown again.", data: { token: r.token } }),
});

export const revokeTokenAction = formAction(revokeTokenCommand, {
  present: (): FormState => ({ ok: true, message: "The token was revoked." }),
});
