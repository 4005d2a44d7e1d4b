import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * Exports an administrator started from the admin page or the API: they run in the
 * background, write their progress here, and leave a file to download when done.
 */
export const dataJobs = pgTable(
  "data_jobs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<"export">().notNull(),
    format: text("format").$type<"mediawiki" | "git">().notNull(),
    status: text("status").$type<"running" | "done" | "failed">().notNull().default("running"),
    /** How far it is: pages (MediaWiki) or revisions (git) written, of `total`. */
    done: integer("done").notNull().default(0),
    total: integer("total"),
    /** The file it wrote, under the data directory's exports/ (never shown; downloaded by job id). */
    file: text("file"),
    bytes: bigint("bytes", { mode: "number" }),
    error: text("error"),
    requestedBy: text("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Written with every progress report: a running job not heard from for minutes died with its process. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("data_jobs_created_idx").on(sql`${t.id} desc`)],
);

export type DataJob = typeof dataJobs.$inferSelect;
