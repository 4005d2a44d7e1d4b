"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { unsubscribeCommand } from "@/lib/commands/users/mail-preferences";

export const unsubscribeAction = formAction(unsubscribeCommand, {
  present: (): FormState => ({ ok: true, message: "Done: you will get no more notification mail. You can choose again on your profile." }),
});
