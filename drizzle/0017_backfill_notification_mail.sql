-- Notifications made before mail existed were read in the site only: never mail them now.
UPDATE "notifications" SET "mailed_at" = "created_at" WHERE "mailed_at" IS NULL;--> statement-breakpoint
UPDATE "notifications" AS n SET "page_id" = t."page_id" FROM "talk_posts" AS p JOIN "talk_threads" AS t ON t."id" = p."thread_id" WHERE p."id" = n."post_id" AND n."page_id" IS NULL;
