import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { users } from "./users";

/**
 * Append-only: the application never updates or deletes a revision.
 * `(page_id, parent_id)` is unique, NULLs included, so a page's history is a
 * straight chain and two saves from the same base cannot both land.
 */
export const revisions = pgTable(
  "revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    pageId: integer("page_id")
      .notNull()
      .references((): AnyPgColumn => pages.id),
    parentId: integer("parent_id").references((): AnyPgColumn => revisions.id),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    isMinor: boolean("is_minor").notNull().default(false),
    content: text("content").notNull(),
    /** Validated structured front matter of this revision. */
    fields: jsonb("fields").$type<Record<string, unknown>>().notNull(),
    sha256: text("sha256").notNull(),
    /** What kind of change this was when not a plain edit: a revert, an undo, a merge, an import, a carried talk post. */
    change: jsonb("change").$type<RevisionChange>(),
    length: integer("length").notNull(),
    /** One line saying what changed against the parent ("SL side changed; lines: 3 added; +120 bytes"), written at save; null for older revisions until a feed fills it in. */
    diffSummary: text("diff_summary"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("revisions_page_parent_key").on(t.pageId, t.parentId).nullsNotDistinct(),
    index("revisions_page_history_idx").on(t.pageId, sql`${t.id} desc`),
    index("revisions_author_idx").on(t.authorId, sql`${t.id} desc`),
    // Recent changes and feeds: keyset pagination by time.
    index("revisions_created_idx").on(t.createdAt, t.id),
    // One page's changes by time (its history feed, recent changes filtered to a page): without it the
    // newest-first walk of revisions_created_idx reads every newer revision of the wiki first.
    index("revisions_page_created_idx").on(t.pageId, t.createdAt, t.id),
  ],
);

/**
 * The parser cache: a revision never changes, so its rendering is computed
 * once per renderer version and kept.
 */
export const rendered = pgTable(
  "rendered",
  {
    revisionId: integer("revision_id")
      .notNull()
      .references(() => revisions.id),
    rendererVersion: integer("renderer_version").notNull(),
    html: text("html").notNull(),
    toc: jsonb("toc").$type<{ depth: number; id: string; text: string }[]>().notNull(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("rendered_revision_version_key").on(t.revisionId, t.rendererVersion)],
);

/** Why a revision exists beyond "someone edited": recorded so history can say who reverted what. */
export type RevisionChange =
  | { type: "revert"; toRevisionId: number }
  | { type: "undo"; undidRevisionId: number }
  | { type: "rollback"; ofUserId: string; toRevisionId: number }
  | { type: "merge"; mergedWithRevisionId: number }
  | { type: "carry"; postId: number; threadId: number }
  | { type: "import"; file: string };

export type Revision = typeof revisions.$inferSelect;
export type NewRevision = typeof revisions.$inferInsert;
