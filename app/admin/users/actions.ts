"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { setBlockedCommand, setRoleCommand } from "@/lib/commands/users/administer-users";

export const setRoleAction = formAction(setRoleCommand, {
  present: (r): FormState => ({ ok: true, message: `${r.name} is now ${r.role}.` }),
});

export const setBlockedAction = formAction(setBlockedCommand, {
  present: (r): FormState => ({ ok: true, message: `${r.name} is ${r.blocked ? "blocked" : "unblocked"}.` }),
});
