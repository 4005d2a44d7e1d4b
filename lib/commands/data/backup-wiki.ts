import "server-only";
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { z } from "zod";
import { authorize } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";
import { defineCommand } from "@/lib/commands/command";
import { rawSql } from "@/lib/db/client";
import { writeBackup, type BackupHeader } from "@/lib/data/backup";
import { restoreBackup } from "@/lib/data/restore";
import { text } from "@/lib/text";

const pathField = (label: string) => text({ label, max: 4096, min: 1 });

/**
 * Administrators (the operator's CLI) write a gzipped backup of the whole wiki
 * to a file: one consistent snapshot, taken while people go on writing.
 */
export const backupWikiCommand = defineCommand({
  name: "backup-wiki",
  input: z.object({ out: pathField("Backup file") }),
  async run(ctx, input): Promise<{ header: BackupHeader; counts: Record<string, number> }> {
    authorize(ctx.actor, "administer");
    const gzip = createGzip();
    const done = pipeline(gzip, createWriteStream(input.out));
    try {
      const outcome = await writeBackup(rawSql(ctx.db), gzip);
      gzip.end();
      await done;
      return outcome;
    } catch (error) {
      gzip.destroy();
      await done.catch(() => undefined);
      throw error;
    }
  },
});

/** Administrators (the operator's CLI) restore a backup into an empty database. */
export const restoreWikiCommand = defineCommand({
  name: "restore-wiki",
  input: z.object({ in: pathField("Backup file") }),
  async run(ctx, input) {
    authorize(ctx.actor, "administer");
    const lines = new PassThrough();
    const reading = pipeline(createReadStream(input.in), createGunzip(), lines);
    // A file cut short or not gzip fails the reading; the restore (one transaction) then fails too and is rolled back.
    let damaged: Error | null = null;
    reading.catch((error: Error) => (damaged = error));
    try {
      return await restoreBackup({ db: ctx.db, sql: rawSql(ctx.db) }, lines);
    } catch (error) {
      await reading.catch(() => undefined);
      const cause = damaged as Error | null;
      if (cause && (cause as { code?: string }).code !== "ENOENT") {
        throw new AppError("invalid:input", `The backup file is damaged or cut short (${cause.message}); nothing was restored.`);
      }
      throw error;
    } finally {
      lines.destroy();
      await reading.catch(() => undefined);
    }
  },
});
