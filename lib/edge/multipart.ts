import "server-only";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";
import { removeSpool, spool, type SpooledFile } from "@/lib/http/spool";

/** A file part, spooled to disk, with the name the client gave it (may be empty). */
export type MultipartFile = SpooledFile & { name: string };

/** A multipart body as the edge hands it on: text fields in memory, each file part spooled to disk. */
export type MultipartBody = {
  fields: Record<string, string[]>;
  files: Record<string, MultipartFile[]>;
};

export type MultipartLimits = {
  /** The whole body, envelope included (413 past it). */
  maxBytes: number;
  /** A file's limit, once its first 64 KiB are known (by type); may throw to refuse it. Without it, `maxBytes`. */
  fileLimit?: (head: Uint8Array) => number | Promise<number>;
  /** Text fields and file parts the body may have (413 past them). */
  maxFields?: number;
  maxFiles?: number;
  /** Bytes of one text field (413 past it). */
  maxFieldBytes?: number;
};

/** Text fields, files and their sizes a multipart body may have unless a route says otherwise. */
export const MULTIPART_DEFAULTS = { maxFields: 16, maxFiles: 1, maxFieldBytes: 64 * 1024 } as const;

/**
 * Parse a multipart/form-data body as it arrives (busboy), never holding a
 * file in memory: each file part is spooled to a temporary file (lib/http/spool.ts)
 * with its SHA-256 and size. Bounds, each a 413 the moment it is passed: the
 * whole body, each file (by its type, from its first 64 KiB), the number of
 * fields and files, a field's length. On any refusal, a malformed body or a
 * client that leaves, reading stops and every spooled file is removed; on
 * success the caller owns the files (`disposeMultipart` in a `finally`).
 */
export async function readMultipart(request: Request, contentType: string, limits: MultipartLimits): Promise<MultipartBody> {
  const maxFields = limits.maxFields ?? MULTIPART_DEFAULTS.maxFields;
  const maxFiles = limits.maxFiles ?? MULTIPART_DEFAULTS.maxFiles;
  const maxFieldBytes = limits.maxFieldBytes ?? MULTIPART_DEFAULTS.maxFieldBytes;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      defParamCharset: "utf8",
      limits: { fieldNameSize: 100, fieldSize: maxFieldBytes, fields: maxFields, files: maxFiles, parts: maxFields + maxFiles, fileSize: limits.maxBytes },
    });
  } catch {
    throw new AppError("invalid:input", "The request body is not valid multipart/form-data (no boundary).");
  }
  const body: MultipartBody = { fields: Object.create(null) as MultipartBody["fields"], files: Object.create(null) as MultipartBody["files"] };
  const spooling: Promise<void>[] = [];
  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure ??= error;
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  parser.on("field", (name, value, info) => {
    if (info.nameTruncated || info.valueTruncated) return fail(new AppError("too_large", `The field ${name.slice(0, 40)} is too long (at most ${Math.floor(maxFieldBytes / 1024)} KiB).`, { field: name.slice(0, 40) }));
    (body.fields[name] ??= []).push(value);
  });
  parser.on("file", (name, stream, info) => {
    stream.on("limit", () => stream.destroy(tooLarge(limits.maxBytes)));
    // Its errors reach the request through the spool's promise (or the parser's); a part the spool never began to read must not throw them.
    stream.on("error", () => {});
    spooling.push(
      spool(stream, { limitFor: limits.fileLimit ?? (() => limits.maxBytes), tooLarge: fileTooLarge }).then(
        (file) => {
          (body.files[name] ??= []).push({ ...file, name: info.filename ?? "" });
        },
        (error: unknown) => {
          // Whatever is left of this part is skipped, and the rest of the body is not read.
          stream.resume();
          fail(error);
        },
      ),
    );
  });
  const tooMany = () => fail(new AppError("too_large", `The form has too many fields (at most ${maxFields} and ${maxFiles} file${maxFiles === 1 ? "" : "s"}).`));
  parser.on("partsLimit", tooMany);
  parser.on("filesLimit", tooMany);
  parser.on("fieldsLimit", tooMany);

  let received = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limits.maxBytes) done(tooLarge(limits.maxBytes));
      else done(null, chunk);
    },
  });
  try {
    const source = request.body ? Readable.fromWeb(request.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(source, counted, parser);
    await Promise.all(spooling);
    if (failure) throw failure;
    return body;
  } catch (error) {
    await Promise.allSettled(spooling);
    await disposeMultipart(body);
    const reason = failure ?? error;
    if (reason instanceof AppError) throw reason;
    // The temporary file could not be written (a full disk, say): the wiki's trouble, not the request's.
    if (typeof (reason as NodeJS.ErrnoException | null)?.syscall === "string" && (reason as NodeJS.ErrnoException).code !== "ECONNRESET") {
      throw new AppError("unavailable", "The upload could not be stored just now; nothing was saved. Try again in a moment.", { retryAfterSeconds: 30 });
    }
    throw new AppError("invalid:input", "The request body is not valid multipart/form-data, or it ended early.");
  }
}

/** Remove every file a parsed body spooled. */
export async function disposeMultipart(body: MultipartBody): Promise<void> {
  await Promise.all(Object.values(body.files).flatMap((files) => files.map((file) => removeSpool(file))));
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("too_large", `The request body is too large (at most ${Math.floor(maxBytes / 1000).toLocaleString("en")} kB).`);
}

function fileTooLarge(limit: number): AppError {
  return new AppError("too_large", `This file is too large (at most ${Math.floor(limit / 1e6).toLocaleString("en")} MB for its type); nothing was saved.`, { field: "file" });
}
