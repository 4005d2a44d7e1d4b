import "server-only";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pages, revisions } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { contentImportUser } from "@/lib/users/system-user";
import { parseFrontMatter } from "./front-matter";
import { savePage } from "./page-updater";
import { tryParseTitle } from "./title";

export type ImportOutcome = {
  file: string;
  slug?: string;
  result: "created" | "updated" | "unchanged" | "skipped-edited" | "invalid";
  message?: string;
  revisionId?: number;
};

/**
 * Import every content/*.mdx file as a revision by the "Content import" user.
 * Idempotent: a file equal to its last import changes nothing; a changed file
 * adds one revision. A page edited in the wiki since its last import is left
 * alone (reported), so a restart never overwrites people's edits.
 */
export async function importContent(db: Database, dir: string): Promise<ImportOutcome[]> {
  const importer = await contentImportUser(db);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".mdx")).sort();
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    const content = (await readFile(path.join(dir, file), "utf8")).replace(/\r\n?/g, "\n");
    const front = parseFrontMatter(content);
    if (!front.ok) {
      outcomes.push({ file, result: "invalid", message: front.issues.map((i) => `line ${i.line}: ${i.message}`).join("; ") });
      continue;
    }
    const title = front.fields.title;
    const slug = tryParseTitle(title)?.slug;
    if (!slug) {
      outcomes.push({ file, result: "invalid", message: `"${title}" is not a valid title.` });
      continue;
    }
    const sha = createHash("sha256").update(content).digest("hex");
    const [page] = await db.select().from(pages).where(eq(pages.slug, slug));
    // The wiki's own changes win: a page renamed, deleted or created there is left as it is.
    const leftAlone = page?.redirectToPageId ? "renamed in the wiki" : page?.deletedAt ? "deleted in the wiki" : null;
    if (leftAlone) {
      outcomes.push({ file, slug, result: "skipped-edited", message: leftAlone });
      continue;
    }
    let base: number | null = null;
    if (page?.latestRevisionId) {
      const [lastImport] = await db
        .select({ id: revisions.id, sha256: revisions.sha256 })
        .from(revisions)
        .where(and(eq(revisions.pageId, page.id), eq(revisions.authorId, importer.id)))
        .orderBy(desc(revisions.id))
        .limit(1);
      if (lastImport?.sha256 === sha) {
        outcomes.push({ file, slug: page.slug, result: "unchanged" });
        continue;
      }
      if (!lastImport) {
        outcomes.push({ file, slug: page.slug, result: "skipped-edited", message: "created in the wiki before it was imported" });
        continue;
      }
      if (lastImport.id !== page.latestRevisionId) {
        outcomes.push({ file, slug: page.slug, result: "skipped-edited", message: "edited in the wiki since the last import" });
        continue;
      }
      base = page.latestRevisionId;
    }
    try {
      const saved = await savePage(db, {
        title,
        content,
        authorId: importer.id,
        summary: `Imported from content/${file}`,
        baseRevisionId: base,
        change: { type: "import", file },
        merge: false,
        mayEditProtected: true,
      });
      outcomes.push({
        file,
        slug: saved.page.slug,
        result: saved.status === "unchanged" ? "unchanged" : page ? "updated" : "created",
        revisionId: saved.revision.id,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const issues = error.details.issues?.map((i) => `line ${i.line}, column ${i.column}: ${i.message}`).join("; ");
      outcomes.push({ file, result: "invalid", message: issues ?? error.message });
    }
  }
  return outcomes;
}
