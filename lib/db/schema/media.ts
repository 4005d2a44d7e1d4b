import { sql } from "drizzle-orm";
import { bigint, customType, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { pages } from "./pages";
import { revisions } from "./revisions";
import { users } from "./users";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * An uploaded file's bytes, named by their SHA-256 (content-addressed: the
 * same bytes uploaded twice are one blob). What the bytes are was decided from
 * the bytes themselves at upload (lib/media/inspect.ts); images are stored as
 * re-encoded, without their metadata. The bytes are in `media_chunks`.
 */
export const mediaBlobs = pgTable("media_blobs", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  /** The allowlisted type (image/jpeg, audio/mpeg, application/pdf, text/vtt…). */
  mime: text("mime").notNull(),
  /** A picture's or a video's size in pixels. */
  width: integer("width"),
  height: integer("height"),
  /** How long a sound or a video lasts, as its headers say (null when they do not, and for other files). */
  durationSeconds: doublePrecision("duration_seconds"),
  /** Bytes per chunk row: a Range request reads only the chunks it covers. */
  chunkBytes: integer("chunk_bytes").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set when a moderator hid a file revision with these bytes: they are no longer served. */
  hiddenAt: timestamp("hidden_at", { withTimezone: true }),
});

/** A blob's bytes in fixed-size pieces, in order. */
export const mediaChunks = pgTable(
  "media_chunks",
  {
    sha256: text("sha256")
      .notNull()
      .references(() => mediaBlobs.sha256, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.seq] })],
);

/**
 * Each upload: the file page's revision it made, and the blob it points at.
 * Quotas sum an uploader's rows; a moderator hides a row (and so its bytes).
 */
export const fileUploads = pgTable(
  "file_uploads",
  {
    revisionId: integer("revision_id")
      .primaryKey()
      .references(() => revisions.id),
    pageId: integer("page_id")
      .notNull()
      .references(() => pages.id),
    sha256: text("sha256")
      .notNull()
      .references(() => mediaBlobs.sha256),
    uploaderId: text("uploader_id")
      .notNull()
      .references(() => users.id),
    size: bigint("size", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
    hiddenBy: text("hidden_by").references(() => users.id),
  },
  (t) => [index("file_uploads_uploader_idx").on(t.uploaderId, sql`${t.createdAt} desc`), index("file_uploads_sha256_idx").on(t.sha256), index("file_uploads_page_idx").on(t.pageId, sql`${t.revisionId} desc`)],
);

/** Resized copies of an image for srcset (made by sharp in the worker pool, kept once made). */
export const mediaVariants = pgTable(
  "media_variants",
  {
    sha256: text("sha256")
      .notNull()
      .references(() => mediaBlobs.sha256, { onDelete: "cascade" }),
    width: integer("width").notNull(),
    mime: text("mime").notNull(),
    height: integer("height").notNull(),
    data: bytea("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.width, t.mime] })],
);

export type MediaBlob = typeof mediaBlobs.$inferSelect;
export type FileUpload = typeof fileUploads.$inferSelect;
