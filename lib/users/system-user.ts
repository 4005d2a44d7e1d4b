import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { users, type User } from "@/lib/db/schema";

export const CONTENT_IMPORT_NAME = "Content import";

/** The system account that authors revisions imported from content/ (created once). */
export async function contentImportUser(db: Database): Promise<User> {
  const [existing] = await db
    .select()
    .from(users)
    .where(and(eq(users.isSystem, true), sql`lower(${users.name}) = lower(${CONTENT_IMPORT_NAME})`));
  if (existing) return existing;
  const [created] = await db
    .insert(users)
    .values({ name: CONTENT_IMPORT_NAME, isSystem: true, role: "editor" })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [raced] = await db.select().from(users).where(sql`lower(${users.name}) = lower(${CONTENT_IMPORT_NAME})`);
  if (!raced) throw new Error("could not create the content import user");
  return raced;
}
