CREATE TABLE "mentions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "mentions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"page_id" integer NOT NULL,
	"kind" text NOT NULL,
	"source_url" text,
	"source_title" text NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'visible' NOT NULL,
	"import_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone,
	CONSTRAINT "mentions_import_key_unique" UNIQUE("import_key")
);
--> statement-breakpoint
CREATE TABLE "talk_posts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "talk_posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" integer NOT NULL,
	"parent_id" integer,
	"author_id" text,
	"guest_name" text,
	"guest_url" text,
	"body_source" text NOT NULL,
	"body_html" text NOT NULL,
	"status" text DEFAULT 'visible' NOT NULL,
	"spam_score" real,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"import_key" text,
	"imported_from" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	CONSTRAINT "talk_posts_import_key_unique" UNIQUE("import_key")
);
--> statement-breakpoint
CREATE TABLE "talk_threads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "talk_threads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"page_id" integer NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text,
	"import_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talk_threads_import_key_unique" UNIQUE("import_key")
);
--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_posts" ADD CONSTRAINT "talk_posts_thread_id_talk_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."talk_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_posts" ADD CONSTRAINT "talk_posts_parent_id_talk_posts_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."talk_posts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_posts" ADD CONSTRAINT "talk_posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_threads" ADD CONSTRAINT "talk_threads_page_id_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_threads" ADD CONSTRAINT "talk_threads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mentions_page_idx" ON "mentions" USING btree ("page_id");--> statement-breakpoint
CREATE INDEX "talk_posts_thread_idx" ON "talk_posts" USING btree ("thread_id","id");--> statement-breakpoint
CREATE INDEX "talk_threads_page_idx" ON "talk_threads" USING btree ("page_id","last_activity_at" desc);