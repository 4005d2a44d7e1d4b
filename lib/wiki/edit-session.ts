import "server-only";
import type { Database } from "@/lib/db/client";
import type { Page, Revision } from "@/lib/db/schema";
import { can, refusal, type Actor } from "@/lib/auth/policy";
import { joinFrontMatter, withTitle } from "./front-matter";
import { fieldSpecs, kindSpecs, type PageKind } from "./page-kinds";
import { getPageRevision } from "./page-store";
import { parseTitle } from "./title";
import { getPageBySlugIncludingDeleted } from "./page-admin";

export type EditSession = {
  title: string;
  slug: string;
  page: Page | null;
  base: Revision | null;
  source: string;
  allowed: boolean;
  reason: string | null;
};

/** A starting text for a new page: front matter for the chosen kind and an empty body. */
export function newPageTemplate(title: string, kind: PageKind): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`title: ${q(title)}`, `kind: ${kind}`, `summary: ${q(fieldSpecs.summary.starter)}`];
  for (const field of kindSpecs[kind].fields) lines.push(`${field}: ${q(fieldSpecs[field].starter ?? title)}`);
  lines.push("tags: []", "sources: []");
  return joinFrontMatter(lines.join("\n"), ["", "## Overview", "", "Write here. Link other pages with [[Page title]].", ""].join("\n"));
}

/** What the editor starts from: the latest revision (or a template), and whether this actor may save. */
export async function openEditSession(db: Database, actor: Actor, rawTitle: string, kind: PageKind = "concept"): Promise<EditSession> {
  const { title, slug } = parseTitle(rawTitle);
  const page = await getPageBySlugIncludingDeleted(db, slug);
  const base = page && !page.deletedAt ? await getPageRevision(db, page) : null;
  const subject = { page: page ? { protection: page.protection, deleted: page.deletedAt !== null } : undefined };
  const allowed = can(actor, "edit", subject);
  return {
    title: page?.title ?? title,
    slug,
    page,
    base,
    // After a rename the stored front matter still names the old title.
    source: base ? withTitle(base.content, page!.title) : newPageTemplate(title, kind),
    allowed,
    reason: allowed ? null : refusal(actor, "edit", subject),
  };
}
