import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { users } from "./users";

/** One rating (1–5) per reader and page; rating again replaces it. */
export const ratings = pgTable(
  "ratings",
  {
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    value: integer("value").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.pageId, t.userId] }),
    check("ratings_value_range", sql`${t.value} between 1 and 5`),
    index("ratings_user_idx").on(t.userId),
  ],
);

export type Rating = typeof ratings.$inferSelect;
