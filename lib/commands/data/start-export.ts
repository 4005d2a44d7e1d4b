import "server-only";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand } from "@/lib/commands/command";
import { createExportJob, runExportJob } from "@/lib/data/export-jobs";
import { exportFormats } from "./export-wiki";

/**
 * Administrators start an export from the admin page or the API: a job row
 * now, the export in the background (its progress and file on the row).
 */
export const startExportCommand = defineCommand({
  name: "start-export",
  input: z.object({ format: z.enum(exportFormats, { error: "The format is mediawiki or git." }) }),
  async run(ctx, input): Promise<{ id: number; format: string; status: string }> {
    authorize(ctx.actor, "administer");
    const job = await createExportJob(ctx.db, input.format, ctx.actor.id === "operator" ? null : ctx.actor.id);
    void runExportJob(ctx.db, job, ctx.siteOrigin);
    return { id: job.id, format: job.format, status: job.status };
  },
});
