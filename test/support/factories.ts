import type { Database } from "@/lib/db/client";
import { users, type User } from "@/lib/db/schema";
import { savePage } from "@/lib/wiki/page-updater";

let counter = 0;

/** A user row with a unique name. */
export async function buildUser(db: Database, overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  counter++;
  const [user] = await db
    .insert(users)
    .values({ name: `Tester ${counter} ${Date.now()}`, email: `tester${counter}.${Date.now()}@example.org`, ...overrides })
    .returning();
  return user!;
}

/** MDX source of a difference page. */
export function differenceSource(title: string, opts: { tkm?: string; sl?: string; dimension?: string; tags?: string[]; body?: string } = {}): string {
  return [
    "---",
    `title: ${JSON.stringify(title)}`,
    "kind: difference",
    `summary: ${JSON.stringify(`How ${title} differs.`)}`,
    `dimension: ${JSON.stringify(opts.dimension ?? title)}`,
    `tkm: ${JSON.stringify(opts.tkm ?? "A mandated tool.")}`,
    `sl: ${JSON.stringify(opts.sl ?? "Many tools people choose.")}`,
    `tags: ${JSON.stringify(opts.tags ?? ["tools"])}`,
    "---",
    "",
    opts.body ?? `## About\n\nSee [[Social learning]] and [[${title}|itself]].\n`,
  ].join("\n");
}

/** MDX source of a concept page. */
export function conceptSource(title: string, body = "Plain text.\n", tags: string[] = []): string {
  return `---\ntitle: ${JSON.stringify(title)}\nkind: concept\nsummary: A concept.\ntags: ${JSON.stringify(tags)}\n---\n\n${body}`;
}

/** Create a page with one revision. */
export async function buildPage(db: Database, title: string, content: string, author?: User) {
  const who = author ?? (await buildUser(db));
  const result = await savePage(db, { title, content, authorId: who.id, summary: "create", baseRevisionId: null });
  if (result.status !== "saved") throw new Error("expected a saved page");
  return result;
}
