import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { mentions, pages, talkPosts, talkThreads } from "@/lib/db/schema";
import { tryParseTitle } from "@/lib/wikitext/title";
import { plainTextToHtml } from "./plain-text";

const postSchema = z
  .object({
    id: z.string().min(1).max(100),
    author: z.string().min(1).max(100),
    guest: z.boolean().default(true),
    url: z.string().url().optional(),
    parent: z.string().optional(),
    body: z.string().min(1).max(20_000),
    imported_from: z.string().max(200).optional(),
  })
  .strict();

export const talkFileSchema = z
  .object({
    threads: z
      .array(z.object({ title: z.string().min(1).max(200), posts: z.array(postSchema).min(1) }).strict())
      .default([]),
    mentions: z
      .array(
        z
          .object({
            source_title: z.string().min(1).max(300),
            source_url: z.string().url().optional(),
            excerpt: z.string().max(2000).default(""),
            kind: z.enum(["pingback", "webmention"]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type TalkImportOutcome = { file: string; result: "imported" | "unchanged" | "no-page" | "invalid"; message?: string };

/**
 * Import content/talk/<Slug>.yaml: the origin discussion as talk threads,
 * posts and mentions on the page of that slug. Idempotent by import keys;
 * imported posts are plain text, escaped into paragraphs.
 */
export async function importTalk(db: Database, dir: string): Promise<TalkImportOutcome[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".yaml")).sort();
  } catch {
    return [];
  }
  const outcomes: TalkImportOutcome[] = [];
  for (const file of files) {
    const title = tryParseTitle(file.replace(/\.yaml$/, ""));
    const parsed = talkFileSchema.safeParse(parseYaml(await readFile(path.join(dir, file), "utf8")));
    if (!title || !parsed.success) {
      outcomes.push({ file, result: "invalid", message: parsed.success ? "bad file name" : parsed.error.issues[0]?.message });
      continue;
    }
    const [page] = await db.select({ id: pages.id }).from(pages).where(eq(pages.slug, title.slug));
    if (!page) {
      outcomes.push({ file, result: "no-page" });
      continue;
    }
    const base = `talk:${title.slug}`;
    // The source records no dates: posts get the time of their import, a millisecond apart in file
    // order, so they sort as written; the talk page shows imported posts undated, never with this time.
    const importedAt = Date.now();
    let order = 0;
    const dated = () => new Date(importedAt + order++);
    const added = await db.transaction(async (tx) => {
      let count = 0;
      for (const [i, thread] of parsed.data.threads.entries()) {
        const times = thread.posts.map(() => dated());
        const [row] = await tx
          .insert(talkThreads)
          .values({ pageId: page.id, title: thread.title, importKey: `${base}:thread:${i}`, createdAt: times[0]!, lastActivityAt: times.at(-1)! })
          .onConflictDoNothing()
          .returning({ id: talkThreads.id });
        if (!row) continue;
        count++;
        const ids = new Map<string, number>();
        for (const [j, post] of thread.posts.entries()) {
          const [inserted] = await tx
            .insert(talkPosts)
            .values({
              threadId: row.id,
              parentId: post.parent ? (ids.get(post.parent) ?? null) : null,
              guestName: post.author,
              guestUrl: post.url ?? null,
              bodySource: post.body,
              bodyHtml: plainTextToHtml(post.body),
              importKey: `${base}:post:${post.id}`,
              importedFrom: post.imported_from ?? null,
              createdAt: times[j]!,
            })
            .returning({ id: talkPosts.id });
          ids.set(post.id, inserted!.id);
        }
      }
      for (const [i, mention] of parsed.data.mentions.entries()) {
        const [row] = await tx
          .insert(mentions)
          .values({ pageId: page.id, kind: mention.kind, sourceTitle: mention.source_title, sourceUrl: mention.source_url ?? null, excerpt: mention.excerpt, importKey: `${base}:mention:${i}` })
          .onConflictDoNothing()
          .returning({ id: mentions.id });
        if (row) count++;
      }
      return count;
    });
    outcomes.push({ file, result: added > 0 ? "imported" : "unchanged" });
  }
  return outcomes;
}
