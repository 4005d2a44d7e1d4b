import "server-only";
import { createReadStream } from "node:fs";
import path from "node:path";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { defineCommand, type CommandContext } from "@/lib/commands/command";
import { importMediawiki, type ImportProgress, type ImportReport } from "@/lib/data/mediawiki-import";
import { text } from "@/lib/text";

export const importInput = z.object({
  format: z.enum(["mediawiki"], { error: "The import format is mediawiki." }),
  in: text({ label: "Input file", max: 4096, min: 1 }),
});

/** Import a MediaWiki XML dump (plain or .gz), streaming; the report says what was imported, skipped, failed and left unconverted. */
export async function importWiki(ctx: CommandContext, input: z.output<typeof importInput>, onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
  const file = createReadStream(input.in);
  const stream = input.in.endsWith(".gz") ? file.pipe(createGunzip()) : file;
  try {
    return await importMediawiki(ctx.db, stream, { source: `mediawiki:${path.basename(input.in)}`, onProgress });
  } finally {
    file.destroy();
  }
}

export const importWikiCommand = defineCommand({
  name: "import-wiki",
  input: importInput,
  async run(ctx, input, emit): Promise<ImportReport> {
    authorize(ctx.actor, "administer");
    const report = await importWiki(ctx, input, (p) => ctx.progress?.(p.pages, null));
    if (report.imported.length > 0 || report.talkPosts > 0) emit({ type: "wiki.imported" });
    return report;
  },
});
