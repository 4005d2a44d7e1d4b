import "server-only";
import type { Database } from "@/lib/db/client";
import type { Page, Revision } from "@/lib/db/schema";
import type { PageFields } from "./front-matter";
import { applyMediaRefs } from "./media-refs";
import { applyLinkStatus, getRenderedRevision, type RenderedRevision } from "./parser-cache";
import { countThreads } from "@/lib/talk/talk-store";
import { pageRating } from "./ratings";
import { getPageBySlug, getPageRevision, listBacklinks, listContributors } from "./page-store";
import { revisionNumber } from "./revision-number";
import { anchorsStartedOn, resolvePageAnchors, textOf, type ResolvedAnchor } from "./anchor-store";

export type PageView = {
  page: Page;
  revision: Revision;
  /** The revision's number within the page (1 for its first). */
  revisionNumber: number;
  fields: PageFields;
  isLatest: boolean;
  rendered: RenderedRevision;
  backlinks: Awaited<ReturnType<typeof listBacklinks>>;
  contributors: Awaited<ReturnType<typeof listContributors>>;
  rating: { average: number | null; count: number };
  threadCount: number;
  /** The passages the page's discussions are about: on the latest revision, all of them where they are now; on an old one, those of threads started on it. */
  anchors: ResolvedAnchor[];
  /** Threads about passages left unmarked by the caps (listed on the talk page). */
  unmarkedAnchors: number;
};

/**
 * Everything a reader sees on a page: a revision (latest, or `revisionId`),
 * its cached rendering with live red links, backlinks and contributors.
 * Null when the page or that revision of it does not exist.
 */
export async function getPageView(db: Database, slug: string, revisionId?: number): Promise<PageView | null> {
  const page = await getPageBySlug(db, slug);
  if (!page) return null;
  const revision = await getPageRevision(db, page, revisionId);
  if (!revision) return null;
  const isLatest = revision.id === page.latestRevisionId;
  // An old revision is what any reader can ask for in any number: its render waits in the reads lane.
  const rendering = getRenderedRevision(db, revision, { old: revision.id !== page.latestRevisionId });
  const [rendered, backlinks, contributors, rating, threadCount, oldNumber, anchors] = await Promise.all([
    rendering.then(async (r) => (r.ok ? { ...r, html: await applyMediaRefs(db, await applyLinkStatus(db, r.html)) } : r)),
    listBacklinks(db, page.slug),
    listContributors(db, page.id),
    pageRating(db, page.id),
    countThreads(db, page.id),
    // The latest revision's number is how many the page has, which the contributors' edits add up to.
    isLatest ? null : revisionNumber(db, page.id, revision.id),
    // Resolved once per (thread, revision) and stored: a view after an edit carries each passage through it, later views read.
    // An old revision marks only the passages of threads started on it, where they were chosen (one query, nothing carried).
    isLatest
      ? resolvePageAnchors(db, page.id, { id: revision.id, text: async () => rendering.then((r) => (r.ok ? textOf(revision, r.html) : null)) })
      : anchorsStartedOn(db, page.id, revision.id),
  ]);
  return {
    page,
    revision,
    revisionNumber: oldNumber ?? contributors.reduce((n, c) => n + Number(c.edits), 0),
    fields: revision.fields as PageFields,
    isLatest,
    rendered,
    backlinks,
    contributors,
    rating,
    threadCount,
    anchors: anchors.anchors,
    unmarkedAnchors: anchors.unmarked,
  };
}
