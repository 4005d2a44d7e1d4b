import "server-only";
import path from "node:path";
import type { Database } from "@/lib/db/client";
import { publish } from "@/lib/events/effects";
import { importTalk, type TalkImportOutcome } from "@/lib/talk/talk-import";
import { importContent, type ImportOutcome } from "@/lib/wiki/content-import";

/** Import content/ (pages) and content/talk/ (the origin discussion); idempotent. */
export async function seed(db: Database, dir = path.join(process.cwd(), "content")): Promise<{ pages: ImportOutcome[]; talk: TalkImportOutcome[] }> {
  const pages = await importContent(db, dir);
  const talk = await importTalk(db, path.join(dir, "talk"));
  // Bulk import: every cached page may show what changed.
  if (pages.some((p) => p.result === "created" || p.result === "updated") || talk.some((t) => t.result === "imported")) await publish(db, [{ type: "wiki.imported" }]);
  return { pages, talk };
}
