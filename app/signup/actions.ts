"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { signUpCommand } from "@/lib/commands/users/sign-up";

export type SignUpData = { role: string };

/** Create an account; the form then signs in through next-auth. */
export const signUpAction = formAction(signUpCommand, {
  present: (r): FormState<SignUpData> => ({ ok: true, message: `Welcome, ${r.name}.`, data: { role: r.role } }),
});
