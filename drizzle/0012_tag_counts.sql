CREATE TABLE "tag_counts" (
	"tag" text PRIMARY KEY NOT NULL,
	"pages" integer NOT NULL
);
--> statement-breakpoint
DROP INDEX "page_tags_tag_idx";--> statement-breakpoint
ALTER TABLE "page_tags" ADD COLUMN "title" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "page_tags_tag_title_idx" ON "page_tags" USING btree ("tag","title","page_id");