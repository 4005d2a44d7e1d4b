/**
 * Many large uploads at once against a running wiki, and the memory of its
 * processes meanwhile: the regression test of streamed uploads
 * (test/e2e/media-memory.spec.ts) and `npm run bench -- media-burst` share it.
 * Each upload is a WAV file of `bytes` bytes made as it is sent (1 MiB at a
 * time, with a Content-Length), so the sender holds none of them whole.
 */
import { request } from "node:http";
import { findDescendant, treeMemory } from "./app-process";

const MiB = 2 ** 20;

/** Bytes of a WAV of `bytes` in all (8 kHz 8-bit mono), its samples all `fill`. */
function* wavChunks(bytes: number, fill: number): Generator<Buffer> {
  const samples = bytes - 44;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples, 40);
  yield header;
  const block = Buffer.alloc(MiB, fill);
  for (let left = samples; left > 0; left -= MiB) yield left >= MiB ? block : block.subarray(0, left);
}

/** POST one upload of `bytes` bytes; resolves with the status, or 0 and the error's code when the connection failed first (a server that answers and closes without reading the body may reset it before its answer is read). */
export function sendUpload(base: string, token: string, name: string, bytes: number, fill: number, client?: string): Promise<{ status: number; body: string }> {
  const boundary = `----burst${fill}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL("/api/files", base);
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": head.length + bytes + tail.length, ...(client ? { "X-Forwarded-For": client } : {}) } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ status: 0, body: error.code ?? error.message }));
    const chunks = [head, ...wavChunks(bytes, fill), tail][Symbol.iterator]();
    const write = () => {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (!req.write(next.value)) return void req.once("drain", write);
      }
      req.end();
    };
    // A refusal may come before the body is sent: stop writing then.
    req.on("response", () => req.off("drain", write));
    write();
  });
}

export type MemoryPeaks = {
  /** The whole tree (front, application server, workers, launcher), each page counted once (PSS), MiB. */
  treePssMiB: number;
  /** The application server's resident memory, MiB (its own process only). */
  appServerRssMiB: number;
  /** The front server's resident memory, MiB. */
  frontRssMiB: number;
};

/** Sample the tree under `pid` every `everyMs`; `stop()` gives the peaks seen. */
export function sampleMemory(pid: number, everyMs = 50): { now: () => MemoryPeaks; stop: () => MemoryPeaks } {
  const appServer = findDescendant(pid, "app-server.mjs");
  const front = findDescendant(pid, ".build/server.mjs");
  const now = (): MemoryPeaks => {
    const tree = treeMemory(pid);
    const rss = (p: number | null) => (tree.find((m) => m.pid === p)?.rssKiB ?? 0) / 1024;
    return { treePssMiB: tree.reduce((sum, m) => sum + m.pssKiB, 0) / 1024, appServerRssMiB: rss(appServer), frontRssMiB: rss(front) };
  };
  const peak: MemoryPeaks = now();
  const timer = setInterval(() => {
    const sample = now();
    peak.treePssMiB = Math.max(peak.treePssMiB, sample.treePssMiB);
    peak.appServerRssMiB = Math.max(peak.appServerRssMiB, sample.appServerRssMiB);
    peak.frontRssMiB = Math.max(peak.frontRssMiB, sample.frontRssMiB);
  }, everyMs);
  return {
    now,
    stop: () => {
      clearInterval(timer);
      const round = (n: number) => Math.round(n * 10) / 10;
      return { treePssMiB: round(peak.treePssMiB), appServerRssMiB: round(peak.appServerRssMiB), frontRssMiB: round(peak.frontRssMiB) };
    },
  };
}

/**
 * `count` uploads of `bytes` at once; the statuses in order, the time, and the memory peaks of the tree under `pid`.
 * `clients`: each upload from an address of its own (X-Forwarded-For, for a wiki with TRUST_PROXY=on): the front lets
 * one address hold at most one largest upload's worth of its upload budget at once.
 */
export async function uploadBurst(options: { base: string; token: string; pid: number; count: number; bytes: number; clients?: boolean }): Promise<{ statuses: number[]; bodies: string[]; ms: number; before: MemoryPeaks; peak: MemoryPeaks }> {
  const sampler = sampleMemory(options.pid);
  const before = sampler.now();
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: options.count }, (_, i) => sendUpload(options.base, options.token, `Burst ${i + 1}.wav`, options.bytes, i + 1, options.clients ? `198.51.100.${i + 1}` : undefined)));
  const ms = Math.round(performance.now() - started);
  return { statuses: answers.map((a) => a.status), bodies: answers.map((a) => a.body), ms, before, peak: sampler.stop() };
}
