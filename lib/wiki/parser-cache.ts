import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { pages, rendered } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { renderInWorker } from "@/lib/workers/mdx-jobs";
import { RENDERER_VERSION } from "@/lib/mdx/version";
import { splitFrontMatter } from "./front-matter";
import { pagePath } from "./title";

export type RenderedRevision =
  | { ok: true; html: string; toc: { depth: number; id: string; text: string }[] }
  /** `transient`: the renderer failed or ran out of time; another try may succeed (so it is not cached). */
  | { ok: false; message: string; source: string; transient?: boolean };

/**
 * The rendering of a revision: from the parser cache when present, otherwise
 * rendered once in the worker and stored. A revision that fails validation is
 * stored with its error, so it is never bundled again; a timeout is not stored.
 */
export async function getRenderedRevision(db: Database, revision: { id: number; content: string }, options: { old?: boolean } = {}): Promise<RenderedRevision> {
  // Readers asking for one revision at once share one render.
  const key = `${revision.id}:${RENDERER_VERSION}`;
  const pending = rendering.get(key);
  if (pending) return pending;
  const work = renderOnce(db, revision, options).finally(() => rendering.delete(key));
  rendering.set(key, work);
  return work;
}

const rendering = new Map<string, Promise<RenderedRevision>>();

async function renderOnce(db: Database, revision: { id: number; content: string }, options: { old?: boolean }): Promise<RenderedRevision> {
  const [hit] = await db
    .select({ html: rendered.html, toc: rendered.toc, error: rendered.error })
    .from(rendered)
    .where(and(eq(rendered.revisionId, revision.id), eq(rendered.rendererVersion, RENDERER_VERSION)));
  if (hit) return hit.error ? { ok: false, message: hit.error, source: revision.content } : { ok: true, html: hit.html, toc: hit.toc };

  const { body } = splitFrontMatter(revision.content);
  let outcome: Awaited<ReturnType<typeof renderInWorker>>;
  try {
    outcome = await renderInWorker(body, options.old ? "reads" : "primary");
  } catch (error) {
    // The pool's queue is full: say so on the page (not stored; the next view tries again).
    if (error instanceof AppError && error.code === "unavailable") return { ok: false, message: error.message, source: revision.content, transient: true };
    throw error;
  }
  if (outcome.ok || outcome.kind === "invalid") {
    await db
      .insert(rendered)
      .values({
        revisionId: revision.id,
        rendererVersion: RENDERER_VERSION,
        html: outcome.ok ? outcome.html : "",
        toc: outcome.ok ? outcome.toc : [],
        error: outcome.ok ? null : outcome.message,
      })
      .onConflictDoNothing();
  }
  if (outcome.ok) return { ok: true, html: outcome.html, toc: outcome.toc };
  return { ok: false, message: outcome.message, source: revision.content, ...(outcome.kind === "invalid" ? {} : { transient: true }) };
}

/**
 * Mark wiki links to pages that do not exist as red links leading to their
 * creation. Done per view, so creating a page turns its links blue at once.
 */
export async function applyLinkStatus(db: Database, html: string): Promise<string> {
  const slugs = [...new Set([...html.matchAll(/data-wikilink="([^"]+)"/g)].map((m) => decodeEntities(m[1]!)))];
  if (slugs.length === 0) return html;
  const existing = new Set(
    (await db.select({ slug: pages.slug }).from(pages).where(and(inArray(pages.slug, slugs), isNull(pages.deletedAt)))).map((r) => r.slug),
  );
  return html.replace(/<a href="([^"]*)" title="([^"]*)" class="wikilink" data-wikilink="([^"]+)">/g, (whole, _href, title, raw) => {
    const slug = decodeEntities(raw);
    if (existing.has(slug)) return whole;
    return `<a href="${pagePath(slug, "/edit")}" title="${title} (page does not exist)" class="wikilink new" data-wikilink="${raw}">`;
  });
}

/** Undo the attribute escaping of renderToStaticMarkup. */
export function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
