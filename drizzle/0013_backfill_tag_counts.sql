-- A tag's pages are read in title order from page_tags itself: copy each page's title.
UPDATE "page_tags" AS t SET "title" = p."title" FROM "pages" AS p WHERE p."id" = t."page_id";--> statement-breakpoint
-- The tag list reads stored counts of live pages (lib/wiki/tag-counts.ts keeps them from now on).
INSERT INTO "tag_counts" ("tag", "pages")
SELECT t."tag", count(*)::int FROM "page_tags" AS t JOIN "pages" AS p ON p."id" = t."page_id"
WHERE p."deleted_at" IS NULL GROUP BY t."tag";
