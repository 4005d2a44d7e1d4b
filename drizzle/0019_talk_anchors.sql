CREATE TABLE "talk_anchor_resolutions" (
	"thread_id" integer NOT NULL,
	"revision_id" integer NOT NULL,
	"status" text NOT NULL,
	"start" integer,
	"end" integer,
	"confidence" real NOT NULL,
	"lost_at_revision_id" integer,
	CONSTRAINT "talk_anchor_resolutions_thread_id_revision_id_pk" PRIMARY KEY("thread_id","revision_id")
);
--> statement-breakpoint
CREATE TABLE "talk_anchors" (
	"thread_id" integer PRIMARY KEY NOT NULL,
	"revision_id" integer NOT NULL,
	"exact" text NOT NULL,
	"prefix" text NOT NULL,
	"suffix" text NOT NULL,
	"start" integer NOT NULL,
	"end" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "talk_anchor_resolutions" ADD CONSTRAINT "talk_anchor_resolutions_thread_id_talk_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."talk_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_anchor_resolutions" ADD CONSTRAINT "talk_anchor_resolutions_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_anchors" ADD CONSTRAINT "talk_anchors_thread_id_talk_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."talk_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "talk_anchors" ADD CONSTRAINT "talk_anchors_revision_id_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talk_anchor_resolutions_lost_idx" ON "talk_anchor_resolutions" USING btree ("lost_at_revision_id");