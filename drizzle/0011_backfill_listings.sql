-- The overview sorts and pages difference pages by dimension in the database: copy it from each latest revision.
UPDATE "pages" AS p SET "dimension" = r."fields"->>'dimension'
FROM "revisions" AS r
WHERE r."id" = p."latest_revision_id" AND p."kind" = 'difference';--> statement-breakpoint
-- Snippets read at most the first 2,000 characters of a page's plain text (SNIPPET_SOURCE_CHARS in lib/wiki/search-vector.ts).
UPDATE "pages" SET "search_text" = left("search_text", 2000) WHERE length("search_text") > 2000;
