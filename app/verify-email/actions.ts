"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { verifyEmailCommand } from "@/lib/commands/users/verify-email";

export const verifyEmailAction = formAction(verifyEmailCommand, {
  present: (r): FormState => ({
    ok: true,
    message: `Thank you: ${r.email} is confirmed as your address.${r.promoted ? " As the wiki's configuration names it, your account is now an administrator." : ""}`,
  }),
});
