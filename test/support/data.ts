import postgres from "postgres";
import type { Database } from "@/lib/db/client";
import { ratings, talkPosts, notifications, watches, pages } from "@/lib/db/schema";
import { createApiToken } from "@/lib/auth/tokens";
import { restoreOrder } from "@/lib/data/backup";
import { seed } from "@/lib/seed";
import { buildUser } from "./factories";

/** Every backed-up table's rows as JSON text in key order: two databases with equal snapshots hold the same data. */
export async function snapshotRows(url: string): Promise<Record<string, string[]>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const { tables } = await restoreOrder(sql);
    const out: Record<string, string[]> = {};
    for (const table of tables) {
      const rows = await sql.unsafe<{ row: string }[]>(`select row_to_json(t)::text as row from "${table}" t order by 1`);
      out[table] = rows.map((r) => r.row).sort();
    }
    return out;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The seeded wiki (pages, talk) plus a reader's rating, watch, notification and token. */
export async function buildWiki(db: Database): Promise<void> {
  await seed(db);
  const reader = await buildUser(db, { passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA" });
  const [page] = await db.select().from(pages).limit(1);
  const [post] = await db.select().from(talkPosts).limit(1);
  await db.insert(ratings).values({ pageId: page!.id, userId: reader.id, value: 4 });
  await db.insert(watches).values({ pageId: page!.id, userId: reader.id });
  await db.insert(notifications).values({ userId: reader.id, kind: "reply", postId: post!.id });
  await createApiToken(db, reader.id, "laptop", "read");
}
