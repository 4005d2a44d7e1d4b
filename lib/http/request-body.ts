/**
 * Request bodies, read whole by the front server before the application
 * server sees the request (framework-free): into memory (`readBody`, 1.5 MB
 * at most), or for uploads into a temporary file (`spoolBody`, up to the
 * largest upload; memory holds only the chunks in flight).
 *
 * Why: the front reaches the application through a pool of connections
 * (scripts/server.ts). A body streamed through as it arrives holds one of
 * them for as long as its client takes to send it, so a few hundred clients
 * that send their headers and then a byte now and then (or never) would take
 * every connection: no uncached page, no save, and no health answer for
 * anyone. Read first, a slow body costs only its own socket and the bytes it
 * has actually sent; the application gets it in one piece.
 *
 * Bounds: one body is at most MAX_REQUEST_BYTES (request-guard.ts refuses a
 * longer Content-Length, and a body of unknown length, before this runs); the
 * bodies held at once share a budget of bytes, past which a request is
 * answered 503 instead of read; the server's request timeout ends a body that
 * does not finish arriving.
 */
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { newSpoolDir } from "./spool";

/** The bytes of request bodies the front holds at once, across all requests. */
export class BodyBudget {
  #used = 0;

  constructor(readonly maxBytes: number) {}

  /** Take `bytes` from the budget; false (and nothing taken) when that would pass its maximum. */
  take(bytes: number): boolean {
    if (this.#used + bytes > this.maxBytes) return false;
    this.#used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }

  get used(): number {
    return this.#used;
  }
}

/**
 * A budget several clients share, none of whom may hold more than
 * `perClient` of it at once: one client's stalled bodies (they hold what
 * they sent until the request timeout) cannot leave everyone else's answered
 * 503. `for(client)` is what one request takes from and gives back to.
 */
export class SharedBudget {
  readonly #held = new Map<string, number>();

  constructor(
    readonly total: BodyBudget,
    readonly perClient: number,
  ) {}

  for(client: string): Pick<BodyBudget, "take" | "give"> {
    return {
      take: (bytes) => {
        const mine = this.#held.get(client) ?? 0;
        if (mine + bytes > this.perClient || !this.total.take(bytes)) return false;
        this.#held.set(client, mine + bytes);
        return true;
      },
      give: (bytes) => {
        const mine = this.#held.get(client) ?? 0;
        const given = Math.min(mine, bytes);
        this.total.give(given);
        if (mine - given > 0) this.#held.set(client, mine - given);
        else this.#held.delete(client);
      },
    };
  }

  /** What a client holds now. */
  heldBy(client: string): number {
    return this.#held.get(client) ?? 0;
  }
}

/** Whether a request carries a body the application must get (request-guard.ts has refused bodies of unknown length). */
export function hasBody(req: IncomingMessage): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && declared !== "0";
}

export type BodyRead =
  /** The whole body; call `release` once it has been passed on. */
  | { ok: true; body: Buffer; release: () => void }
  /** `aborted`: the client left (or timed out) before sending all of it; `busy`: the budget is spent. */
  | { ok: false; reason: "aborted" | "busy" };

/**
 * Read a request's whole body, counting every chunk against `budget` as it
 * arrives. On `busy` the request is left unread (the caller answers 503).
 */
export function readBody(req: IncomingMessage, budget: BodyBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let held = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      if (!result.ok) {
        budget.give(held);
        held = 0;
        chunks.length = 0;
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (!budget.take(chunk.length)) {
        req.pause();
        settle({ ok: false, reason: "busy" });
        return;
      }
      held += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      const body = Buffer.concat(chunks);
      chunks.length = 0;
      let released = false;
      settle({
        ok: true,
        body,
        release: () => {
          if (released) return;
          released = true;
          budget.give(held);
        },
      });
    };
    const onClose = () => {
      if (!req.complete) settle({ ok: false, reason: "aborted" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
  });
}

export type SpooledRead =
  /** The whole body, in a temporary file; call `release` once it has been passed on (it removes the file). */
  | { ok: true; path: string; size: number; release: () => void }
  | { ok: false; reason: "aborted" | "busy" };

/**
 * Read a request's whole body into a temporary file (uploads: up to 200 MB
 * each), counting every chunk against `budget` (here bytes on disk) as it
 * arrives; memory holds only the chunks in flight. The same promise as
 * `readBody`: no connection to the application waits on a slow client. On
 * `busy` the request is left unread (the caller answers 503); on any failure
 * the file is removed.
 */
export async function spoolBody(req: IncomingMessage, budget: Pick<BodyBudget, "take" | "give">): Promise<SpooledRead> {
  req.pause();
  const dir = await newSpoolDir().catch(() => null);
  if (!dir) return { ok: false, reason: "busy" };
  const file = path.join(dir, "body");
  const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
  return new Promise((resolve) => {
    let held = 0;
    let settled = false;
    const remove = () => void rm(dir, { recursive: true, force: true }).catch(() => {});
    const settle = (result: SpooledRead) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      if (!result.ok) {
        req.pause();
        out.destroy();
        budget.give(held);
        held = 0;
        remove();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (!budget.take(chunk.length)) return settle({ ok: false, reason: "busy" });
      held += chunk.length;
      if (!out.write(chunk)) {
        req.pause();
        out.once("drain", () => {
          if (!settled) req.resume();
        });
      }
    };
    const onEnd = () => {
      out.end(() => {
        let released = false;
        settle({
          ok: true,
          path: file,
          size: held,
          release: () => {
            if (released) return;
            released = true;
            budget.give(held);
            remove();
          },
        });
      });
    };
    const onClose = () => {
      if (!req.complete) settle({ ok: false, reason: "aborted" });
    };
    // The disk, not the client, failed (full, say): the client is answered 503 like a spent budget.
    out.on("error", () => settle({ ok: false, reason: "busy" }));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.resume();
  });
}
