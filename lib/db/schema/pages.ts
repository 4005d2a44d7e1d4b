import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import type { PageKind } from "./page-kinds";
import { revisions } from "./revisions";

export { pageKinds, type PageKind } from "./page-kinds";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * A page is a title that points at its latest revision. Everything a reader
 * sees comes from that revision; the page row only holds what lists and
 * search need without reading bodies.
 */
export const pages = pgTable(
  "pages",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    kind: text("kind").$type<PageKind>().notNull(),
    latestRevisionId: integer("latest_revision_id").references((): AnyPgColumn => revisions.id),
    protection: text("protection").$type<"none" | "moderators">().notNull().default("none"),
    /** Set when the page was renamed: views of this title go to that page. */
    redirectToPageId: integer("redirect_to_page_id").references((): AnyPgColumn => pages.id),
    searchVector: tsvector("search_vector"),
    /** Plain text of the latest revision, for search snippets: its first SNIPPET_SOURCE_CHARS characters (lib/wiki/search-vector.ts). */
    searchText: text("search_text").notNull().default(""),
    /** A difference page's dimension (from its latest revision's fields), so the overview sorts and pages in the database. */
    dimension: text("dimension"),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** The title's UTS #39 skeleton: a new title with the same skeleton as another page's is refused. */
    titleSkeleton: text("title_skeleton"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    touchedAt: timestamp("touched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("pages_search_idx").using("gin", t.searchVector),
    index("pages_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
    index("pages_title_skeleton_idx").on(t.titleSkeleton),
    index("pages_kind_idx").on(t.kind).where(sql`${t.deletedAt} is null`),
    // Keyset pagination of the listings: the overview by dimension or title, All pages by title.
    index("pages_overview_dimension_idx").on(t.dimension, t.id).where(sql`${t.kind} = 'difference' and ${t.deletedAt} is null`),
    index("pages_overview_title_idx").on(t.title, t.id).where(sql`${t.kind} = 'difference' and ${t.deletedAt} is null`),
    // Search's title matches: their own indexed query, instead of filtering every match's vector.
    index("pages_title_tsv_idx").using("gin", sql`to_tsvector('english', ${t.title})`),
    // Search's most recently edited matches: walked newest first, each page's vector checked, stopping at the candidate limit.
    index("pages_touched_idx").on(sql`${t.touchedAt} desc`, sql`${t.id} desc`).where(sql`${t.deletedAt} is null`),
    index("pages_listed_title_idx").on(t.title, t.id).where(sql`${t.deletedAt} is null and ${t.redirectToPageId} is null`),
  ],
);

/** Outgoing wiki links of each page's latest revision ("what links here"). */
export const pageLinks = pgTable(
  "page_links",
  {
    fromPageId: integer("from_page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    toSlug: text("to_slug").notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromPageId, t.toSlug] }), index("page_links_to_slug_idx").on(t.toSlug)],
);

/** Tags of each page's latest revision. */
export const pageTags = pgTable(
  "page_tags",
  {
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
    /** The page's title (kept with pages.title by saves and renames), so a tag's pages are one range of (tag, title, page_id). */
    title: text("title").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.pageId, t.tag] }), index("page_tags_tag_title_idx").on(t.tag, t.title, t.pageId)],
);

/**
 * How many live (not deleted) pages carry each tag, kept by the writes that
 * change it (lib/wiki/tag-counts.ts: saves, deletes, restores) in their own
 * transaction, so the tag list never counts page_tags.
 */
export const tagCounts = pgTable("tag_counts", {
  tag: text("tag").primaryKey(),
  pages: integer("pages").notNull(),
});

/** A page as the app handles it: without its search columns (large, written by the page updater, read only by search). */
export type Page = Omit<typeof pages.$inferSelect, "searchVector" | "searchText">;
export type NewPage = typeof pages.$inferInsert;
