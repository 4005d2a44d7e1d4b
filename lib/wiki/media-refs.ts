import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mediaBlobs, pages, revisions } from "@/lib/db/schema";
import { mediaPath, VARIANT_WIDTHS } from "@/lib/media/file-types";
import { decodeEntities } from "./parser-cache";

/** What a page view needs of an uploaded file to show it. */
export type ShownFile = { slug: string; title: string; sha256: string; mime: string; width: number | null; height: number | null };

/** The files these File: pages hold now (latest revision, not hidden, page not deleted), by slug. */
export async function currentFiles(db: Database, slugs: string[]): Promise<Map<string, ShownFile>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .select({ slug: pages.slug, title: pages.title, sha256: mediaBlobs.sha256, mime: mediaBlobs.mime, width: mediaBlobs.width, height: mediaBlobs.height })
    .from(pages)
    .innerJoin(revisions, eq(revisions.id, pages.latestRevisionId))
    .innerJoin(mediaBlobs, eq(mediaBlobs.sha256, sql`${revisions.fields}->>'file'`))
    .where(and(inArray(pages.slug, slugs.slice(0, 200)), eq(pages.kind, "file"), isNull(pages.deletedAt), isNull(mediaBlobs.hiddenAt)));
  return new Map(rows.map((row) => [row.slug, row]));
}

// Tags the MDX components wrote (lib/mdx/components.tsx): attributes are quoted and escaped, so `[^>]*` ends at the tag's end.
const TAG = /<(img|audio|video|track) ([^>]*)>/g;
const FILE_ATTRIBUTE = /data-file-(src|poster)="([^"]*)"/g;

const escapeAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * Fill in the uploaded files a rendered page shows (`data-file-src` and
 * `data-file-poster`, left by the components): their immutable addresses,
 * and for a picture its srcset of resized copies, width and height, for a
 * video its width and height (so the layout does not shift). Done per view, like red links, so the rendering
 * cached per revision never holds a file's address: a new upload shows at once.
 */
export async function applyMediaRefs(db: Database, html: string): Promise<string> {
  if (!html.includes("data-file-")) return html;
  const slugs = new Set<string>();
  for (const match of html.matchAll(FILE_ATTRIBUTE)) slugs.add(decodeEntities(match[2]!));
  const files = await currentFiles(db, [...slugs]);
  return html.replace(TAG, (whole, tag: string, attributes: string) => {
    if (!attributes.includes("data-file-")) return whole;
    let extra = "";
    for (const match of attributes.matchAll(FILE_ATTRIBUTE)) {
      const file = files.get(decodeEntities(match[2]!));
      if (!file) continue;
      const path = mediaPath(file.sha256, file.title);
      extra += ` ${match[1]}="${escapeAttribute(path)}"`;
      if (tag === "img" && match[1] === "src" && file.width && file.height) {
        const widths = VARIANT_WIDTHS.filter((w) => w < file.width!);
        if (widths.length > 0) {
          const srcset = [...widths.map((w) => `${path}?w=${w} ${w}w`), `${path} ${file.width}w`].join(", ");
          extra += ` srcset="${escapeAttribute(srcset)}" sizes="(max-width: 52rem) 100vw, 52rem"`;
        }
        if (!/\swidth="/.test(` ${attributes}`)) extra += ` width="${file.width}" height="${file.height}"`;
      }
      // A video's own size too: the player keeps its place before the file's first bytes arrive.
      if (tag === "video" && match[1] === "src" && file.width && file.height && !/\swidth="/.test(` ${attributes}`)) extra += ` width="${file.width}" height="${file.height}"`;
    }
    if (!extra) return whole;
    return `<${tag}${extra} ${attributes}>`;
  });
}
