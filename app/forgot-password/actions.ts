"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { requestPasswordResetCommand } from "@/lib/commands/users/request-password-reset";

/** The one answer, whether or not the address has an account. */
export const requestPasswordResetAction = formAction(requestPasswordResetCommand, {
  present: (): FormState => ({ ok: true, message: "If an account uses this address, a link to choose a new password is on its way. It works for one hour." }),
});
