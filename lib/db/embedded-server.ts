import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * The embedded database served on loopback to several clients at once: the
 * application, the front server's purge listener and any `npm run admin`.
 *
 * PGlite is one PostgreSQL session. @electric-sql/pglite-socket hands it each
 * protocol message as it comes, so two clients' extended-protocol sequences
 * (Parse, Bind, Execute … Sync) interleave on that one session: one client's
 * Bind meets the other's unnamed statement, "portal does not exist". Here a
 * client holds the session from its first message until PGlite answers
 * ReadyForQuery "idle" (after a Sync or a simple query outside a transaction
 * block), so every transaction and every sync-delimited group runs whole;
 * the others' messages wait, in the order they asked, and run when it is
 * idle. A client that disconnects while holding the session has its group
 * ended and its transaction rolled back. One that holds it silently while
 * others wait longer than `idleHoldMs` is disconnected (PostgreSQL's
 * idle_in_transaction_session_timeout, only when it matters).
 *
 * Notifications (NOTIFY) are reported by PGlite to whoever runs at commit;
 * they are copied to every client, as if each had asked to LISTEN (clients
 * that did not ignore them).
 *
 * The port is reachable by any local user, so clients authenticate with a
 * password made at start and kept in a file only this user can read.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const MAX_STARTUP_BYTES = 10_000;
/** Before it has authenticated, a client may send little and must be quick. */
const MAX_PASSWORD_BYTES = 1_024;
/** PGlite refuses messages over 1 GiB; a client sending one is dropped before buffering it. */
const MAX_MESSAGE_BYTES = 2 ** 30;

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const NOTIFICATION = 0x41; // 'A'
const TERMINATE = 0x58; // 'X'
const PARSE = 0x50; // 'P'
const PASSWORD = 0x70; // 'p'

type Phase = "startup" | "password" | "ready" | "closed";

/** Follows a server → client message stream across chunks: the last message, and whole notifications. */
export class ReplyTracker {
  private header = Buffer.alloc(5);
  private headerBytes = 0;
  private remaining = 0;
  private type = 0;
  private lastByte = 0;
  private lastType = 0;
  private lastStatus = 0;
  private notification: Buffer[] | null = null;

  /** Feed `data`; returns the notifications it completed (whole messages, header included). */
  push(data: Uint8Array): Buffer[] {
    const done: Buffer[] = [];
    let i = 0;
    while (i < data.length) {
      if (this.headerBytes < 5) {
        this.header[this.headerBytes++] = data[i++]!;
        if (this.headerBytes < 5) continue;
        this.type = this.header[0]!;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.notification = this.type === NOTIFICATION ? [Buffer.from(this.header)] : null;
      } else {
        const n = Math.min(this.remaining, data.length - i);
        this.notification?.push(Buffer.from(data.subarray(i, i + n)));
        i += n;
        this.remaining -= n;
        this.lastByte = data[i - 1]!;
      }
      if (this.remaining === 0) {
        this.lastType = this.type;
        this.lastStatus = this.lastByte;
        this.headerBytes = 0;
        if (this.notification) done.push(Buffer.concat(this.notification));
        this.notification = null;
      }
    }
    return done;
  }

  /** Whether the session said, last and whole, that it is idle outside any transaction. */
  get idle(): boolean {
    return this.headerBytes === 0 && this.lastType === READY_FOR_QUERY && this.lastStatus === IDLE;
  }
}

class Client {
  phase: Phase = "startup";
  buffer: Buffer = Buffer.alloc(0);
  startup: Buffer | null = null;
  /** Each client's messages are handled one after another. */
  chain: Promise<void> = Promise.resolve();
  readonly replies = new ReplyTracker();
  /** Named prepared statements, closed when the client goes (postgres.js names them per connection). */
  readonly statements = new Set<string>();
  lastActive = Date.now();
  constructor(readonly socket: Socket) {}

  write(data: Uint8Array): void {
    if (this.phase !== "closed" && this.socket.writable) this.socket.write(data);
  }
}

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstring(text: string): Buffer {
  return Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([0])]);
}

function errorResponse(code: string, text: string): Buffer {
  return message("E", Buffer.concat([Buffer.from("S"), cstring("FATAL"), Buffer.from("V"), cstring("FATAL"), Buffer.from("C"), cstring(code), Buffer.from("M"), cstring(text), Buffer.from([0])]));
}

const SYNC = message("S", Buffer.alloc(0));

function digest(text: string | Buffer): Buffer {
  return createHash("sha256").update(text).digest();
}

export type SerialSocketServerOptions = {
  db: PGlite;
  /** Every client must give this password. */
  password: string;
  /** At most this many clients at once (default 16). */
  maxClients?: number;
  /** A client holding the session this long without a message, while others wait, is disconnected (default 60 s). */
  idleHoldMs?: number;
  /** A client that has not authenticated this long after connecting is disconnected (default 10 s). */
  authenticationMs?: number;
};

export class SerialSocketServer {
  private server: Server | null = null;
  private readonly clients = new Set<Client>();
  private owner: Client | null = null;
  private readonly waiting: { client: Client; resume: () => void }[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly db: PGlite;
  private readonly password: Buffer;
  private readonly maxClients: number;
  private readonly idleHoldMs: number;
  private readonly authenticationMs: number;

  constructor(options: SerialSocketServerOptions) {
    this.db = options.db;
    this.password = digest(options.password);
    this.maxClients = options.maxClients ?? 16;
    this.idleHoldMs = options.idleHoldMs ?? 60_000;
    this.authenticationMs = options.authenticationMs ?? 10_000;
  }

  /** Listen on 127.0.0.1 (port 0: any free one); resolves to the port. */
  async start(port = 0): Promise<number> {
    await this.db.waitReady;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  /** Stop accepting, disconnect every client (rolling back what one held) and close the port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    const ends = [...this.clients].map((c) => {
      c.socket.destroy();
      return this.close(c);
    });
    await Promise.all(ends);
    clearTimeout(this.holdTimer);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    if (!this.server || this.clients.size >= this.maxClients) {
      socket.end(errorResponse("53300", "too many connections to the embedded database"));
      return;
    }
    const client = new Client(socket);
    this.clients.add(client);
    const unauthenticated = setTimeout(() => {
      if (client.phase !== "ready") socket.destroy();
    }, this.authenticationMs);
    unauthenticated.unref();
    socket.once("close", () => clearTimeout(unauthenticated));
    socket.on("data", (chunk: Buffer) => {
      client.buffer = client.buffer.length === 0 ? chunk : Buffer.concat([client.buffer, chunk]);
      client.chain = client.chain.then(() => this.drain(client)).catch(() => {
        socket.destroy();
      });
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void this.close(client));
  }

  /** Handle every whole message buffered for this client. */
  private async drain(client: Client): Promise<void> {
    while (client.phase !== "closed") {
      const buffer = client.buffer;
      if (client.phase === "startup") {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP_BYTES) return this.refuse(client, "08P01", "invalid startup packet");
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        client.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) client.write(Buffer.from("N"));
        else if (code === CANCEL_REQUEST) client.socket.end(); // PGlite has no running query to cancel from outside.
        else if (code !== PROTOCOL_3) return this.refuse(client, "0A000", "unsupported frontend protocol");
        else {
          client.startup = Buffer.from(buffer.subarray(0, length));
          client.phase = "password";
          client.write(message("R", Buffer.from([0, 0, 0, 3]))); // AuthenticationCleartextPassword
        }
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) return this.refuse(client, "08P01", "invalid message length");
      if (client.phase === "password") {
        if (length > MAX_PASSWORD_BYTES) return this.refuse(client, "08P01", "invalid password message");
        if (buffer.length < 1 + length) return;
        const given = buffer.subarray(5, 1 + length);
        client.buffer = buffer.subarray(1 + length);
        const text = given.subarray(0, Math.max(0, given.indexOf(0)));
        if (buffer[0] !== PASSWORD || !timingSafeEqual(digest(text), this.password)) {
          return this.refuse(client, "28P01", "password authentication failed for the embedded database");
        }
        client.phase = "ready";
        await this.run(client, client.startup!);
        client.startup = null;
        continue;
      }
      // Every whole message buffered goes to PGlite at once (they are this client's, in order).
      let end = 0;
      let terminate = false;
      while (end + 5 <= buffer.length) {
        const size = buffer.readInt32BE(end + 1);
        if (size < 4 || size > MAX_MESSAGE_BYTES) return this.refuse(client, "08P01", "invalid message length");
        if (end + 1 + size > buffer.length) break;
        if (buffer[end] === TERMINATE) {
          terminate = true;
          break;
        }
        if (buffer[end] === PARSE) {
          const name = buffer.subarray(end + 5, buffer.indexOf(0, end + 5)).toString("utf8");
          if (name) client.statements.add(name);
        }
        end += 1 + size;
      }
      if (end === 0 && !terminate) return;
      client.buffer = buffer.subarray(end + (terminate ? 5 : 0));
      if (end > 0) await this.run(client, Buffer.from(buffer.subarray(0, end)));
      if (terminate) {
        client.socket.end();
        return;
      }
    }
  }

  /** Run messages for `client` once it holds the session; it keeps the session until PGlite is idle again. */
  private async run(client: Client, messages: Uint8Array): Promise<void> {
    await this.acquire(client);
    if (client.phase === "closed") return;
    client.lastActive = Date.now();
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(messages, {
        onRawData: (data) => {
          const notifications = client.replies.push(data);
          client.write(data);
          for (const n of notifications) for (const other of this.clients) if (other !== client && other.phase === "ready") other.write(n);
        },
      }),
    );
    client.lastActive = Date.now();
    if (client.replies.idle) this.release(client);
    else this.watchHold();
  }

  private acquire(client: Client): Promise<void> {
    if (this.owner === client) return Promise.resolve();
    if (!this.owner) {
      this.owner = client;
      return Promise.resolve();
    }
    return new Promise((resume) => {
      this.waiting.push({ client, resume });
      this.watchHold();
    });
  }

  private release(client: Client): void {
    if (this.owner !== client) return;
    const next = this.waiting.shift();
    this.owner = next?.client ?? null;
    next?.resume();
  }

  /** While someone waits, a holder silent for idleHoldMs is disconnected (its transaction rolls back). */
  private watchHold(): void {
    if (this.holdTimer || !this.owner || this.waiting.length === 0) return;
    const holder = this.owner;
    const due = holder.lastActive + this.idleHoldMs - Date.now();
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      if (this.owner !== holder || this.waiting.length === 0) return this.watchHold();
      if (Date.now() - holder.lastActive >= this.idleHoldMs) {
        holder.write(errorResponse("25P03", "disconnected: held the embedded database idle while others waited"));
        holder.socket.destroy();
      } else this.watchHold();
    }, Math.max(0, due));
    this.holdTimer.unref();
  }

  private refuse(client: Client, code: string, text: string): void {
    client.write(errorResponse(code, text));
    client.socket.end();
    client.phase = "closed";
  }

  /** A client is gone: end what it held (its group, its transaction, its statements) and let the next one in. */
  private close(client: Client): Promise<void> {
    if (!this.clients.delete(client)) return client.chain;
    const wasReady = client.phase === "ready" || client.phase === "closed";
    client.phase = "closed";
    const queued = this.waiting.findIndex((w) => w.client === client);
    if (queued >= 0) this.waiting.splice(queued, 1)[0]!.resume();
    client.chain = client.chain
      .catch(() => {})
      .then(async () => {
        if (!wasReady || this.db.closed) return this.release(client);
        // Nothing to end unless it held the session or left named statements behind.
        if (this.owner !== client && client.statements.size === 0) return;
        await this.acquire(client);
        try {
          const closes = [...client.statements].map((name) => message("C", Buffer.concat([Buffer.from("S"), cstring(name)])));
          const cleanup = Buffer.concat([message("f", cstring("client disconnected")), ...closes, SYNC]);
          await this.db.runExclusive(async () => {
            await this.db.execProtocolRawStream(cleanup, { onRawData: () => {} });
            if (this.db.isInTransaction()) await this.db.execProtocolRawStream(message("Q", cstring("ROLLBACK")), { onRawData: () => {} });
          });
        } catch {
          // The session is being closed under us (stop()); nothing is left to clean.
        } finally {
          this.release(client);
        }
      });
    return client.chain;
  }
}
