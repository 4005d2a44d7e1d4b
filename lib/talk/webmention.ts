import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mentions, pages } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { parseTitle, TitleError } from "@/lib/wiki/title";
import { checkSpam } from "./spam";
import { currentClassifier } from "./spam-model";

const MAX_SOURCE_BYTES = 1_000_000;
const FETCH_TIMEOUT_MS = 5_000;

function httpUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("invalid:input", `${name} must be an absolute URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("invalid:input", `${name} must be an http or https URL.`);
  return url;
}

function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    return a === "::1" || a.startsWith("fc") || a.startsWith("fd") || a.startsWith("fe80") || a.startsWith("::ffff:127.") || a === "::";
  }
  const [x, y] = address.split(".").map(Number) as [number, number];
  return x === 10 || x === 127 || x === 0 || (x === 169 && y === 254) || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127);
}

function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** Fetch the source page (bounded in time and size, public addresses only unless allowed). */
async function fetchSource(source: URL): Promise<string> {
  if (env().WEBMENTION_ALLOW_PRIVATE !== "on") {
    const host = source.hostname.replace(/^\[|\]$/g, "");
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new AppError("invalid:input", "The source is not on a public address.");
  }
  const response = await fetch(source, { redirect: "follow", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { Accept: "text/html" } }).catch(() => null);
  if (!response || !response.ok) throw new AppError("invalid:input", "The source page could not be fetched.");
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SOURCE_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Receive a Webmention (W3C): `source` says it links to `target`, a page of
 * this wiki. With verification on, the source is fetched and must really link
 * to the target; its title and the words around the link become the mention.
 * Without verification the mention waits for a moderator. Mentions go through
 * the spam checks like posts; resending a source updates its mention.
 */
export async function receiveWebmention(db: Database, input: { source: string; target: string; siteOrigin: string }) {
  const source = httpUrl(input.source, "source");
  const target = httpUrl(input.target, "target");
  if (source.href === target.href) throw new AppError("invalid:input", "source and target must differ.");
  const site = new URL(input.siteOrigin);
  const match = /^\/wiki\/([^/]+)(?:\/talk)?\/?$/.exec(target.pathname);
  if (target.host !== site.host || !match) throw new AppError("invalid:input", "target is not a page of this wiki.");
  let slug: string;
  try {
    slug = parseTitle(decodeURIComponent(match[1]!)).slug;
  } catch (error) {
    if (error instanceof TitleError || error instanceof URIError) throw new AppError("invalid:input", "target is not a page of this wiki.");
    throw error;
  }
  const [page] = await db.select({ id: pages.id }).from(pages).where(eq(pages.slug, slug));
  if (!page) throw new AppError("not_found:page", "target is not a page of this wiki.");

  let title = source.hostname;
  let excerpt = "";
  const reasons: string[] = [];
  let verified = false;
  if (env().WEBMENTION_VERIFY === "on") {
    const html = await fetchSource(source);
    const links = [...html.matchAll(/<a\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>/gi)];
    const linked = links.find((l) => {
      try {
        const href = new URL(l[1]!.replace(/&amp;/g, "&"), source);
        return href.host === target.host && decodeURIComponent(href.pathname) === decodeURIComponent(target.pathname);
      } catch {
        return false;
      }
    });
    if (!linked) throw new AppError("invalid:input", "The source does not link to the target.");
    verified = true;
    title = textOf(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "").slice(0, 300) || source.hostname;
    const around = html.slice(Math.max(0, (linked.index ?? 0) - 600), (linked.index ?? 0) + 600);
    excerpt = textOf(around).slice(0, 400);
  } else {
    reasons.push("not verified (verification is off)");
  }
  const verdict = checkSpam({ text: `${title}\n${excerpt}`, isGuest: true, authorUrl: source.href }, await currentClassifier(db));
  const status = verdict.hold || !verified ? "held" : "visible";
  const values = { pageId: page.id, kind: "webmention" as const, sourceUrl: source.href, sourceTitle: title, excerpt, status: status as "held" | "visible", verifiedAt: verified ? new Date() : null };
  const [existing] = await db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.pageId, page.id), eq(mentions.sourceUrl, source.href)));
  const [row] = existing
    ? await db.update(mentions).set(values).where(eq(mentions.id, existing.id)).returning()
    : await db.insert(mentions).values(values).returning();
  return { mention: row!, status, reasons: [...reasons, ...(verdict.hold ? verdict.reasons : [])] };
}
