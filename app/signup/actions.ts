"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { signUpCommand } from "@/lib/commands/users/sign-up";

/** The one answer to every accepted sign-up, whether the email was new or already registered. */
const SIGN_UP_ANSWER = "Check your email to finish.";

/** Create an account; the form then tries to sign in with what was typed. */
export const signUpAction = formAction(signUpCommand, {
  present: (): FormState => ({ ok: true, message: SIGN_UP_ANSWER }),
});
