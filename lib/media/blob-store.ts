import "server-only";
import { open } from "node:fs/promises";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import type { Database, Tx } from "@/lib/db/client";
import { mediaBlobs, mediaChunks, type MediaBlob } from "@/lib/db/schema";

/**
 * Where uploaded bytes live: content-addressed by SHA-256, behind this small
 * interface. The default (and only) driver keeps them in PostgreSQL, in
 * chunk rows, so it works the same on embedded PGlite and on a server, is in
 * every backup, and a Range request reads only the chunks it covers.
 */
export interface BlobStore {
  /**
   * Store a file's bytes under their hash, inside the caller's transaction, read from
   * the file a chunk at a time (never whole); a blob already stored is left as it is.
   */
  put(tx: Tx, blob: NewBlob): Promise<void>;
  /** What is known of a blob, or null. */
  stat(db: Database, sha256: string): Promise<MediaBlob | null>;
  /** The bytes from `start` to `end` (inclusive), a chunk at a time, read as they are pulled. */
  read(db: Database, blob: MediaBlob, start: number, end: number): AsyncGenerator<Uint8Array>;
}

/** A blob to store: the file holding its bytes (`size` of them, hashing to `sha256`), and what is known of it. */
export type NewBlob = { sha256: string; path: string; size: number; mime: string; width: number | null; height: number | null; durationSeconds: number | null };

/** Bytes per chunk row. */
export const CHUNK_BYTES = 512 * 1024;

export const postgresBlobStore: BlobStore = {
  async put(tx, blob) {
    const inserted = await tx
      .insert(mediaBlobs)
      .values({ sha256: blob.sha256, size: blob.size, mime: blob.mime, width: blob.width, height: blob.height, durationSeconds: blob.durationSeconds, chunkBytes: CHUNK_BYTES })
      .onConflictDoNothing()
      .returning({ sha256: mediaBlobs.sha256 });
    if (inserted.length === 0) return;
    const handle = await open(blob.path, "r");
    try {
      // One chunk a statement, read into one buffer: postgres.js sends bytea as hex text, so a
      // statement costs about four times its data in transient memory (a copy, the hex, the message).
      const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, blob.size));
      for (let seq = 0, stored = 0; seq === 0 || stored < blob.size; seq++) {
        const length = Math.min(CHUNK_BYTES, blob.size - stored);
        const { bytesRead } = await handle.read(buffer, 0, length, stored);
        if (bytesRead !== length) throw new Error(`The file for blob ${blob.sha256} ended early.`);
        stored += length;
        await tx.insert(mediaChunks).values({ sha256: blob.sha256, seq, data: buffer.subarray(0, length) });
      }
    } finally {
      await handle.close();
    }
  },

  async stat(db, sha256) {
    const [row] = await db.select().from(mediaBlobs).where(eq(mediaBlobs.sha256, sha256));
    return row ?? null;
  },

  async *read(db, blob, start, end) {
    const first = Math.floor(start / blob.chunkBytes);
    const last = Math.floor(end / blob.chunkBytes);
    // A few chunks per query: memory stays at a few chunks however large the file.
    const perQuery = 4;
    for (let from = first; from <= last; from += perQuery) {
      const to = Math.min(last, from + perQuery - 1);
      const rows = await db
        .select({ seq: mediaChunks.seq, data: mediaChunks.data })
        .from(mediaChunks)
        .where(and(eq(mediaChunks.sha256, blob.sha256), gte(mediaChunks.seq, from), lte(mediaChunks.seq, to)))
        .orderBy(mediaChunks.seq);
      for (const row of rows) {
        const offset = row.seq * blob.chunkBytes;
        const sliceStart = Math.max(0, start - offset);
        const sliceEnd = Math.min(row.data.length, end - offset + 1);
        if (sliceEnd > sliceStart) yield row.data.subarray(sliceStart, sliceEnd);
      }
    }
  },
};

/** The wiki's blob store (one driver today; see docs/architecture.md, "Media"). */
export function blobStore(): BlobStore {
  return postgresBlobStore;
}

/** Whole bytes of a (small) blob, for the image jobs. */
export async function readWhole(db: Database, blob: MediaBlob): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of blobStore().read(db, blob, 0, Math.max(0, blob.size - 1))) parts.push(part);
  return Buffer.concat(parts);
}

/** Mark the blob hidden (a moderator hid a file revision that has these bytes). */
export async function hideBlob(tx: Tx, sha256: string): Promise<void> {
  await tx.update(mediaBlobs).set({ hiddenAt: sql`now()` }).where(eq(mediaBlobs.sha256, sha256));
}
