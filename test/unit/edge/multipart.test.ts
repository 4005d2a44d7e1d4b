import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { disposeMultipart, readMultipart } from "@/lib/edge/multipart";
import { AppError } from "@/lib/errors";

const BOUNDARY = "----propagate-test-boundary";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`propagate-upload-${process.pid}-`));

const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name: string, filename: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
const END = `\r\n--${BOUNDARY}--\r\n`;

/** A request whose body is made on demand, `chunk` bytes a pull, counting what was pulled. */
function streamed(parts: (string | { bytes: number; fill: number })[], chunk = 64 * 1024): { request: Request; pulled: () => number } {
  let index = 0;
  let offsetInPart = 0;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[index];
      if (part === undefined) return controller.close();
      if (typeof part === "string") {
        index++;
        const bytes = Buffer.from(part, "utf8");
        pulled += bytes.length;
        return controller.enqueue(bytes);
      }
      const size = Math.min(chunk, part.bytes - offsetInPart);
      offsetInPart += size;
      pulled += size;
      if (offsetInPart >= part.bytes) {
        index++;
        offsetInPart = 0;
      }
      controller.enqueue(Buffer.alloc(size, part.fill));
    },
  });
  return { request: new Request("http://wiki.example/api/files", { method: "POST", body, duplex: "half" } as RequestInit), pulled: () => pulled };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("accepted");
}

describe("readMultipart streams a file to disk", () => {
  it("hands on the fields and the file spooled, with its size, SHA-256, first bytes and name; dispose removes it", async () => {
    const { request } = streamed([field("name", "Tone.wav"), field("summary", "A tone"), fileHead("file", "tone.wav"), { bytes: 300_000, fill: 7 }, END]);
    const body = await readMultipart(request, TYPE, { maxBytes: 1_000_000 });
    expect(body.fields).toEqual({ name: ["Tone.wav"], summary: ["A tone"] });
    const [file] = body.files.file!;
    const expected = Buffer.alloc(300_000, 7);
    expect(file).toMatchObject({ name: "tone.wav", size: 300_000, sha256: createHash("sha256").update(expected).digest("hex") });
    expect(file!.head.byteLength).toBe(64 * 1024);
    expect(readFileSync(file!.path).equals(expected)).toBe(true);
    await disposeMultipart(body);
    expect(existsSync(file!.dir)).toBe(false);
  });

  it("refuses a file 413 as soon as it passes its type's limit, reading little past it, and leaves no file", async () => {
    const before = ours().length;
    const { request, pulled } = streamed([field("name", "Big.wav"), fileHead("file", "big.wav"), { bytes: 50_000_000, fill: 1 }, END]);
    const heads: number[] = [];
    const answer = await refusal(readMultipart(request, TYPE, { maxBytes: 60_000_000, fileLimit: (head) => (heads.push(head.byteLength), 1_000_000) }));
    expect(answer.status).toBe(413);
    expect(heads).toEqual([64 * 1024]);
    // The stream's own buffers are all that is read past the limit, not the 49 MB after it.
    expect(pulled()).toBeLessThan(3_000_000);
    expect(ours().length).toBe(before);
  });

  it("refuses a file whose first bytes are refused (the limit function throws), with its error", async () => {
    const { request } = streamed([fileHead("file", "x.zip"), { bytes: 200_000, fill: 2 }, END]);
    const answer = await refusal(readMultipart(request, TYPE, { maxBytes: 1_000_000, fileLimit: () => { throw new AppError("unsupported:media_type", "Not accepted."); } }));
    expect(answer).toEqual({ status: 415, message: "Not accepted." });
  });

  it("refuses the whole body past its limit (413), too many fields or files (413), a long field (413)", async () => {
    expect((await refusal(readMultipart(streamed([fileHead("file", "a.wav"), { bytes: 2_000_000, fill: 3 }, END]).request, TYPE, { maxBytes: 1_000_000 }))).status).toBe(413);
    const many = Array.from({ length: 40 }, (_, i) => field(`f${i}`, "x"));
    expect((await refusal(readMultipart(streamed([...many, END.slice(2)]).request, TYPE, { maxBytes: 1_000_000 }))).status).toBe(413);
    const twoFiles = [fileHead("file", "a.wav"), { bytes: 10, fill: 1 }, "\r\n", fileHead("file", "b.wav"), { bytes: 10, fill: 1 }, END];
    expect((await refusal(readMultipart(streamed(twoFiles).request, TYPE, { maxBytes: 1_000_000 }))).status).toBe(413);
    expect((await refusal(readMultipart(streamed([field("summary", "y".repeat(70_000)), END.slice(2)]).request, TYPE, { maxBytes: 1_000_000 }))).status).toBe(413);
  });

  it("answers 400 for a body that ends early or has no boundary, and removes what it had spooled", async () => {
    const before = ours().length;
    const cut = streamed([field("name", "Cut.wav"), fileHead("file", "cut.wav"), { bytes: 200_000, fill: 4 }]);
    expect((await refusal(readMultipart(cut.request, TYPE, { maxBytes: 1_000_000 }))).status).toBe(400);
    expect((await refusal(readMultipart(streamed([END]).request, "multipart/form-data", { maxBytes: 1_000_000 }))).status).toBe(400);
    expect(ours().length).toBe(before);
  });

  it("removes the spooled part when the client goes away mid-file", async () => {
    const before = ours().length;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(Buffer.from(fileHead("file", "gone.wav")));
        else if (sent < 10) controller.enqueue(Buffer.alloc(100_000, 5));
        else controller.error(new Error("the client went away"));
        sent++;
      },
    });
    const request = new Request("http://wiki.example/api/files", { method: "POST", body, duplex: "half" } as RequestInit);
    expect((await refusal(readMultipart(request, TYPE, { maxBytes: 10_000_000 }))).status).toBe(400);
    expect(ours().length).toBe(before);
  });
});

describe("readMultipart when the temporary file cannot be written", () => {
  it("answers 503 (the wiki's trouble, not the request's), not 400", async () => {
    const saved = process.env.TMPDIR;
    // os.tmpdir() reads TMPDIR when called: a directory that does not exist makes the spool's mkdtemp fail.
    process.env.TMPDIR = "/nonexistent/propagate-test";
    try {
      const { request } = streamed([fileHead("file", "nowhere.wav"), { bytes: 200_000, fill: 6 }, END]);
      const answer = await refusal(readMultipart(request, TYPE, { maxBytes: 1_000_000 }));
      expect(answer.status).toBe(503);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
