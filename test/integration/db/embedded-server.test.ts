import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect as connectSocket, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEmbeddedDatabase, SERVED_FILE, startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { SerialSocketServer } from "@/lib/db/embedded-server";

/**
 * The embedded database served to several clients at once (lib/db/embedded-server.ts):
 * postgres.js clients with pools of their own, as the application, the front's purge
 * listener and `npm run admin` are, must never see one another's protocol messages.
 */

const clients: postgres.Sql[] = [];
function client(url: string, max = 1): postgres.Sql {
  const sql = postgres(url, { max, onnotice: () => {} });
  clients.push(sql);
  return sql;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
});

describe("the embedded database's server, with several clients", () => {
  let db: EmbeddedDatabase;
  beforeEach(async () => {
    db = await startEmbeddedDatabase();
    const setup = client(db.url);
    await setup`create table t (id int primary key, v int not null)`;
    await setup`insert into t select g, 0 from generate_series(1, 100) g`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
    await db.stop();
  });

  it("runs interleaved queries and read-modify-write transactions of two pooled clients without an error or a lost update", async () => {
    const a = client(db.url, 3);
    const b = client(db.url, 2);
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      const c = i % 2 ? a : b;
      const id = (i % 10) + 1;
      jobs.push(c`select id, v from t where id = ${(i % 100) + 1}`);
      jobs.push(
        c.begin(async (tx) => {
          const [row] = await tx<{ v: number }[]>`select v from t where id = ${id}`;
          await tx`update t set v = ${row!.v + 1} where id = ${id}`;
        }),
      );
    }
    const outcomes = await Promise.allSettled(jobs);
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    const [total] = await a<{ sum: number }[]>`select sum(v)::int as sum from t`;
    expect(total!.sum).toBe(100);
  });

  it("keeps a repeatable-read snapshot read through a cursor whole while another client writes", async () => {
    const reader = client(db.url);
    const writer = client(db.url);
    const snapshot = reader.begin("isolation level repeatable read read only", async (tx) => {
      let rows = 0;
      let total = 0;
      for await (const batch of tx<{ v: number }[]>`select v from t order by id`.cursor(7)) {
        rows += batch.length;
        total += batch.reduce((s, r) => s + r.v, 0);
        await new Promise((r) => setTimeout(r, 2));
      }
      return { rows, total };
    });
    const writes = Promise.all(Array.from({ length: 30 }, (_, i) => writer`update t set v = v + 1 where id = ${(i % 100) + 1}`));
    expect(await snapshot).toEqual({ rows: 100, total: 0 });
    await writes;
    const [total] = await writer<{ sum: number }[]>`select sum(v)::int as sum from t`;
    expect(total!.sum).toBe(30);
  });

  it("rolls back the transaction of a client that disconnects holding it, and lets the others go on", async () => {
    const doomed = client(db.url);
    const other = client(db.url);
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const held = doomed
      .begin(async (tx) => {
        await tx`update t set v = 999 where id = 1`;
        inside();
        await new Promise((r) => setTimeout(r, 10_000));
      })
      .catch((e: Error) => e);
    await started;
    // The other client waits for the session meanwhile, then finds nothing of the half-done transaction.
    const waiting = other<{ v: number }[]>`select v from t where id = 1`;
    await doomed.end({ timeout: 0 });
    expect(await held).toBeInstanceOf(Error);
    expect((await waiting)[0]!.v).toBe(0);
    expect((await other<{ v: number }[]>`update t set v = v + 1 where id = 1 returning v`)[0]!.v).toBe(1);
  });

  it("copies a NOTIFY to the clients that listen", async () => {
    const listener = client(db.url);
    const notifier = client(db.url);
    const heard: string[] = [];
    await listener.listen("purges", (payload) => heard.push(payload));
    await notifier`select pg_notify('purges', 'page:one')`;
    await notifier.begin(async (tx) => {
      await tx`select pg_notify('purges', 'page:two')`;
    });
    const deadline = Date.now() + 5_000;
    while (heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(["page:one", "page:two"]);
  });

  it("refuses a client without the password", async () => {
    const wrong = client(db.url.replace(/:[^:@/]+@/, ":not-the-password@"));
    await expect(wrong`select 1`).rejects.toThrow(/password authentication failed/);
    const none = client(db.url.replace(/:[^:@/]+@/, "@"));
    await expect(none`select 1`).rejects.toThrow();
  });
});

describe("a client holding the session idle", () => {
  it("is disconnected once others have waited longer than the bound, and its transaction rolled back", async () => {
    const pg = await PGlite.create();
    const server = new SerialSocketServer({ db: pg, password: "pw", idleHoldMs: 300 });
    const port = await server.start();
    const url = `postgres://postgres:pw@127.0.0.1:${port}/postgres`;
    try {
      const holder = client(url);
      const other = client(url);
      await other`create table h (v int)`;
      let inside!: () => void;
      const started = new Promise<void>((r) => (inside = r));
      const held = holder
        .begin(async (tx) => {
          await tx`insert into h values (1)`;
          inside();
          await new Promise((r) => setTimeout(r, 5_000));
          await tx`insert into h values (2)`;
        })
        .catch((e: Error) => e);
      await started;
      const began = Date.now();
      expect(await other`select count(*)::int as n from h`).toEqual([{ n: 0 }]);
      expect(Date.now() - began).toBeLessThan(3_000);
      expect(await held).toBeInstanceOf(Error);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
      await server.stop();
      await pg.close();
    }
  });
});

describe("a client that does not authenticate", () => {
  it("is disconnected after the bound, and one sending an oversized password message at once", async () => {
    const pg = await PGlite.create();
    const server = new SerialSocketServer({ db: pg, password: "pw", authenticationMs: 300 });
    const port = await server.start();
    const closed = (socket: Socket) => new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
    try {
      const silent = connectSocket(port, "127.0.0.1");
      const began = Date.now();
      expect((await closed(silent)) - began).toBeLessThan(5_000);

      const greedy = connectSocket(port, "127.0.0.1");
      const startup = Buffer.alloc(8);
      startup.writeInt32BE(8, 0);
      startup.writeInt32BE(196608, 4);
      const password = Buffer.alloc(5);
      password.write("p", 0, "latin1");
      password.writeInt32BE(100_000_000, 1);
      const replies: Buffer[] = [];
      greedy.on("data", (d: Buffer) => replies.push(d));
      greedy.write(Buffer.concat([startup, password]));
      await closed(greedy);
      expect(Buffer.concat(replies).toString("latin1")).toContain("invalid password message");
    } finally {
      await server.stop();
      await pg.close();
    }
  });
});

describe("openEmbeddedDatabase", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("reaches the database a running process serves from a locked data directory, and opens it itself otherwise", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "propagate-served-"));
    dirs.push(dir);
    const running = await startEmbeddedDatabase(dir);
    try {
      expect(statSync(path.join(dir, SERVED_FILE)).mode & 0o077).toBe(0);
      const app = client(running.url);
      await app`create table shared_t (v text)`;
      const reached = await openEmbeddedDatabase(dir);
      expect(reached.shared).toBe(true);
      await client(reached.url)`insert into shared_t values ('from the admin command')`;
      await reached.stop(); // leaves the running one alone
      expect(await app`select v from shared_t`).toEqual([{ v: "from the admin command" }]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
      await running.stop();
    }
    const own = await openEmbeddedDatabase(dir);
    try {
      expect(own.shared).toBe(false);
      expect(await client(own.url)`select v from shared_t`).toEqual([{ v: "from the admin command" }]);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
      await own.stop();
    }
  });

  it("ignores the file a process that is gone left behind, and opens the data directory itself", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "propagate-served-"));
    dirs.push(dir);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(path.join(dir, SERVED_FILE), JSON.stringify({ url: "postgres://postgres:x@127.0.0.1:1/postgres", pid: gone }));
    const own = await openEmbeddedDatabase(dir);
    try {
      expect(own.shared).toBe(false);
      expect(await client(own.url)`select 1 as one`).toEqual([{ one: 1 }]);
      expect(readFileSync(path.join(dir, SERVED_FILE), "utf8")).toContain(`"pid":${process.pid}`);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
      await own.stop();
    }
  });
});
