"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { resetPasswordCommand } from "@/lib/commands/users/reset-password";

export const resetPasswordAction = formAction(resetPasswordCommand, {
  present: (): FormState => ({ ok: true, message: "Your password was changed. Every session has ended and your API tokens were revoked: sign in with the new password." }),
});
