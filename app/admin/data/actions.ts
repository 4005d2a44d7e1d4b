"use server";

import type { FormState } from "@/lib/edge/form-state";
import { formAction } from "@/lib/edge/form";
import { startExportCommand } from "@/lib/commands/data/start-export";

export const startExportAction = formAction(startExportCommand, {
  present: (r): FormState => ({ ok: true, message: `Export ${r.id} started; its progress is below.` }),
});
