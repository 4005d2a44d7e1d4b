ALTER TABLE "pages" ADD COLUMN "dimension" text;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "diff_summary" text;--> statement-breakpoint
CREATE INDEX "pages_overview_dimension_idx" ON "pages" USING btree ("dimension","id") WHERE "pages"."kind" = 'difference' and "pages"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "pages_overview_title_idx" ON "pages" USING btree ("title","id") WHERE "pages"."kind" = 'difference' and "pages"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "pages_title_tsv_idx" ON "pages" USING gin (to_tsvector('english', "title"));--> statement-breakpoint
CREATE INDEX "pages_listed_title_idx" ON "pages" USING btree ("title","id") WHERE "pages"."deleted_at" is null and "pages"."redirect_to_page_id" is null;--> statement-breakpoint
CREATE INDEX "revisions_created_idx" ON "revisions" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "page_log_at_idx" ON "page_log" USING btree ("created_at","id");