import "server-only";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand, type CommandContext } from "@/lib/commands/command";
import { rawSql } from "@/lib/db/client";
import { writeGitExport } from "@/lib/data/git-export";
import { writeMediawikiExport } from "@/lib/data/mediawiki-export";
import { text } from "@/lib/text";

export const exportFormats = ["mediawiki", "git"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportInput = z.object({
  format: z.enum(exportFormats, { error: "The format is mediawiki or git." }),
  out: text({ label: "Output path", max: 4096, min: 1 }),
});

export type ExportOutcome = { format: ExportFormat; pages?: number; revisions: number };

/**
 * Administrators export the wiki: MediaWiki XML 0.11 (a file) or a git
 * repository (a new or empty directory), streaming either way.
 */
export async function exportWiki(ctx: CommandContext, input: z.output<typeof exportInput>, onProgress?: (done: number, total: number) => void): Promise<ExportOutcome> {
  const sql = rawSql(ctx.db);
  if (input.format === "git") {
    const outcome = await writeGitExport(sql, input.out, (p) => onProgress?.(p.revisions, p.totalRevisions));
    return { format: "git", revisions: outcome.revisions };
  }
  const file = createWriteStream(input.out);
  try {
    const outcome = await writeMediawikiExport(sql, file, { siteName: "Propagate", base: `${ctx.siteOrigin}/`, onProgress: (p) => onProgress?.(p.pages, p.totalPages) });
    file.end();
    await finished(file);
    return { format: "mediawiki", pages: outcome.pages, revisions: outcome.revisions };
  } catch (error) {
    file.destroy();
    throw error;
  }
}

export const exportWikiCommand = defineCommand({
  name: "export-wiki",
  input: exportInput,
  async run(ctx, input): Promise<ExportOutcome> {
    authorize(ctx.actor, "administer");
    return exportWiki(ctx, input, ctx.progress);
  },
});
