import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BodyBudget, readBody, spoolBody, type BodyRead, type SpooledRead } from "@/lib/http/request-body";
import { refuseOversizedBody } from "@/lib/http/request-guard";

// A real HTTP server on a loopback port, as the front server runs them: each
// request's body is read with `readBody`, and what came of it is recorded.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(budget: BodyBudget, onRead: (read: BodyRead) => void): Promise<number> {
  server = createServer((req, res) => {
    if (refuseOversizedBody(req, res, 1_000_000)) return;
    void readBody(req, budget).then((read) => {
      onRead(read);
      if (read.ok) {
        res.end(`got ${read.body.length}`);
        read.release();
      } else if (read.reason === "busy") {
        res.writeHead(503, { Connection: "close" }).end();
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function open(port: number, head: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(head);
      resolve(socket);
    });
    sockets.push(socket);
  });
}

function answer(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("close", () => resolve(text));
  });
}

const until = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(probe()).toBe(true);
};

describe("request bodies read whole by the front server", () => {
  it("gives the whole body, byte for byte, however slowly it arrives, and returns its bytes to the budget once released", async () => {
    const budget = new BodyBudget(1_000);
    const reads: BodyRead[] = [];
    const port = await start(budget, (r) => reads.push(r));
    const socket = await open(port, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 300\r\n\r\n");
    const answered = answer(socket);
    for (let i = 0; i < 3; i++) {
      socket.write("é".repeat(50)); // 100 bytes
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await answered).toMatch(/got 300$/);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.ok && reads[0]!.body.toString("utf8")).toBe("é".repeat(150));
    expect(budget.used).toBe(0);
  });

  it("counts a body's bytes while it arrives, and gives them back when its client leaves half-way", async () => {
    const budget = new BodyBudget(1_000);
    const reads: BodyRead[] = [];
    const port = await start(budget, (r) => reads.push(r));
    const socket = await open(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + "a".repeat(200));
    await until(() => budget.used === 200);
    socket.destroy();
    await until(() => reads.length === 1);
    expect(reads[0]).toEqual({ ok: false, reason: "aborted" });
    expect(budget.used).toBe(0);
  });

  it("answers 503 to a body that would pass the budget shared by all bodies held at once, and keeps only what the others hold", async () => {
    const budget = new BodyBudget(1_000);
    const reads: BodyRead[] = [];
    const port = await start(budget, (r) => reads.push(r));
    // A slow client holds 800 bytes of a 900-byte body.
    await open(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n" + "a".repeat(800));
    await until(() => budget.used === 800);
    const second = await open(port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n" + "b".repeat(400));
    expect(await answer(second)).toMatch(/^HTTP\/1\.1 503 /);
    expect(reads).toEqual([{ ok: false, reason: "busy" }]);
    expect(budget.used).toBe(800);
  });
});

describe("a GET or HEAD with a body", () => {
  it("is answered 400 and its connection closed, without reading the body it announces", async () => {
    const reads: BodyRead[] = [];
    const port = await start(new BodyBudget(1_000), (r) => reads.push(r));
    for (const head of [
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\nabc",
      "HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
      "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ]) {
      const text = await answer(await open(port, head));
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      if (head.startsWith("GET")) expect(text).toMatch(/"A GET request has no body\."/);
    }
    expect(reads).toEqual([]);
  });

  it("is a GET like any other when its Content-Length is 0", async () => {
    const reads: BodyRead[] = [];
    const port = await start(new BodyBudget(1_000), (r) => reads.push(r));
    const text = await answer(await open(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
    expect(text).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 0$/);
  });
});

describe("upload bodies spooled to disk by the front server", () => {
  const ours = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`propagate-upload-${process.pid}-`));

  async function startSpooling(budget: BodyBudget, onRead: (read: SpooledRead, bytes: string | null) => void): Promise<number> {
    server = createServer((req, res) => {
      void spoolBody(req, budget).then((read) => {
        onRead(read, read.ok ? readFileSync(read.path, "latin1") : null);
        if (read.ok) {
          createReadStream(read.path)
            .on("end", read.release)
            .pipe(res);
        } else if (read.reason === "busy") {
          res.writeHead(503, { Connection: "close" }).end();
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  it("writes the whole body to a file as it arrives, hands that on, and removes the file once released", async () => {
    const before = ours().length;
    const budget = new BodyBudget(100_000);
    const reads: [SpooledRead, string | null][] = [];
    const port = await startSpooling(budget, (read, bytes) => reads.push([read, bytes]));
    const socket = await open(port, "POST /api/files HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 30000\r\n\r\n");
    const answered = answer(socket);
    for (let i = 0; i < 3; i++) {
      socket.write("x".repeat(10_000));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await answered).toMatch(/^HTTP\/1\.1 200 /);
    expect(reads[0]![0]).toMatchObject({ ok: true, size: 30_000 });
    expect(reads[0]![1]).toBe("x".repeat(30_000));
    await until(() => budget.used === 0 && ours().length === before);
  });

  it("answers 503 past the budget and removes what it had written, as when the client leaves half-way", async () => {
    const before = ours().length;
    const budget = new BodyBudget(1_000);
    const reads: SpooledRead[] = [];
    const port = await startSpooling(budget, (read) => reads.push(read));
    const slow = await open(port, "POST /api/files HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n" + "a".repeat(800));
    await until(() => budget.used === 800 && ours().length === before + 1);
    const second = await open(port, "POST /api/files HTTP/1.1\r\nHost: x\r\nContent-Length: 400\r\n\r\n" + "b".repeat(400));
    expect(await answer(second)).toMatch(/^HTTP\/1\.1 503 /);
    expect(reads).toEqual([{ ok: false, reason: "busy" }]);
    slow.destroy();
    await until(() => reads.length === 2);
    expect(reads[1]).toEqual({ ok: false, reason: "aborted" });
    await until(() => budget.used === 0 && ours().length === before);
  });
});
