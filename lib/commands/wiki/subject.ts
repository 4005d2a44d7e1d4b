import "server-only";
import type { Database } from "@/lib/db/client";
import type { Page } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { getPageBySlugIncludingDeleted } from "@/lib/wiki/page-admin";
import { parseTitle, TitleError, type Title } from "@/lib/wiki/title";

/** The title a command acts on, or a 400 with the reason. */
export function requireTitle(raw: string): Title {
  try {
    return parseTitle(raw);
  } catch (error) {
    if (error instanceof TitleError) throw new AppError("invalid:title", error.message);
    throw error;
  }
}

/** A page (deleted ones too) by title, or null when none has that title. */
export async function findPage(db: Database, raw: string): Promise<Page | null> {
  return getPageBySlugIncludingDeleted(db, requireTitle(raw).slug);
}

/** A page (deleted ones too) by title, or a 404. */
export async function requirePageRow(db: Database, raw: string): Promise<Page> {
  const page = await findPage(db, raw);
  if (!page) throw new AppError("not_found:page", "There is no page with this title.");
  return page;
}

/** What the policy needs to know about a page. */
export function pageSubject(page: Page | null) {
  return { page: page ? { protection: page.protection, deleted: page.deletedAt !== null } : undefined };
}
