/**
 * Uploaded files on their way to the database: written to a temporary file
 * as they arrive, hashed (SHA-256) and counted on the way, so a 200 MB file
 * is never held in memory (framework-free).
 *
 * Each spooled file has a directory of its own under os.tmpdir(), named with
 * the process id; the caller removes it in a `finally` (`removeSpool`). A
 * process killed before its `finally` leaves its directories behind: the next
 * spool of any process removes those whose process is gone (`sweepSpools`).
 */
import { createHash } from "node:crypto";
import { mkdtemp, open, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isAlive } from "../db/process-alive";

/** A file written to disk: where, how long, its SHA-256 (hex) and its first bytes (for a look at its type). */
export type SpooledFile = { dir: string; path: string; size: number; sha256: string; head: Uint8Array };

/** Bytes kept of a file's start, for the first look at its type (file-type reads no further). */
export const SPOOL_HEAD_BYTES = 64 * 1024;

const PREFIX = "propagate-upload-";

export type SpoolOptions = {
  /** Asked once, when the first SPOOL_HEAD_BYTES (or the whole of a shorter file) arrived: the file's limit in bytes; it may throw to refuse the file. */
  limitFor: (head: Uint8Array) => number | Promise<number>;
  /** Thrown (made) when the file passes its limit; the rest is not read. */
  tooLarge: (limit: number) => Error;
};

let swept = false;

/** A new directory of this process's for a spooled file (sweeping, on the first, those of ended processes). */
export async function newSpoolDir(): Promise<string> {
  if (!swept) {
    swept = true;
    await sweepSpools();
  }
  return mkdtemp(path.join(tmpdir(), `${PREFIX}${process.pid}-`));
}

/**
 * Write `source` to a new temporary file, hashing and counting as it goes.
 * Past the limit it stops reading and throws; on any failure the file is
 * removed before the error goes on.
 */
export async function spool(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: SpoolOptions): Promise<SpooledFile> {
  const dir = await newSpoolDir();
  const file = path.join(dir, "upload");
  const hash = createHash("sha256");
  const head = new Uint8Array(SPOOL_HEAD_BYTES);
  let headBytes = 0;
  let size = 0;
  let limit: number | null = null;
  try {
    const handle = await open(file, "wx", 0o600);
    try {
      for await (const chunk of source) {
        if (headBytes < SPOOL_HEAD_BYTES) {
          const take = Math.min(chunk.byteLength, SPOOL_HEAD_BYTES - headBytes);
          head.set(chunk.subarray(0, take), headBytes);
          headBytes += take;
          if (headBytes === SPOOL_HEAD_BYTES) limit = await options.limitFor(head);
        }
        size += chunk.byteLength;
        if (limit !== null && size > limit) throw options.tooLarge(limit);
        hash.update(chunk);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    limit ??= await options.limitFor(head.subarray(0, headBytes));
    if (size > limit) throw options.tooLarge(limit);
    return { dir, path: file, size, sha256: hash.digest("hex"), head: head.subarray(0, headBytes) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Spool bytes already in memory (the CLI, tests): the same file as an upload's. */
export function spoolBytes(bytes: Uint8Array): Promise<SpooledFile> {
  return spool([bytes], { limitFor: () => Infinity, tooLarge: () => new Error("unreachable") });
}

/** Remove a spooled file and its directory (and whatever was written beside it, such as a re-encoded copy). */
export async function removeSpool(file: Pick<SpooledFile, "dir">): Promise<void> {
  await rm(file.dir, { recursive: true, force: true });
}

/** Remove the spool directories of processes that no longer run (killed before their `finally`). */
export async function sweepSpools(): Promise<number> {
  let removed = 0;
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split("-")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    await rm(path.join(tmpdir(), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
