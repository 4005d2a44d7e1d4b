/**
 * Headers across the front server's hop to the application server
 * (scripts/server.ts): those that belong to one connection stay on it
 * (RFC 9110, section 7.6.1), in both directions. Framework-free.
 */
import type { IncomingHttpHeaders } from "node:http";

/** Headers about the connection itself, never passed on. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set(["connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"]);

/** What a client cannot have dropped by naming it in its Connection header: what frames or identifies the request. */
const KEPT: ReadonlySet<string> = new Set(["host", "content-length", "content-type", "x-forwarded-for"]);

/** A request's headers for the application: without the hop-by-hop ones, nor those its Connection header names. */
export function forwardedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const forwarded = { ...headers };
  const listed = typeof headers.connection === "string" ? headers.connection.toLowerCase().split(",").map((name) => name.trim()) : [];
  for (const name of [...HOP_BY_HOP, ...listed]) if (!KEPT.has(name)) delete forwarded[name];
  return forwarded;
}

/** An answer's raw headers (name, value, name, value…) for the client: without the hop-by-hop ones, in their order and spelling. */
export function answerHeaders(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  return kept;
}
