import "server-only";
import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { mentions, pages } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { decodeSegment } from "@/lib/text";
import { titleFromSegment } from "@/lib/wikitext/title";
import { scanHtml } from "./html-scan";
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

/**
 * Only ordinary public unicast addresses may be fetched: not loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, multicast or any
 * other reserved range, also when written as an IPv4-mapped IPv6 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

class NotPublicError extends Error {}

/** dns.lookup for outgoing fetches: resolves, then refuses unless every address is public. The connection uses what was checked. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { all: true }).then(
    (addresses) => {
      if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) {
        callback(new NotPublicError(hostname), "", 4);
      } else if (options.all) {
        (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, addresses);
      } else {
        callback(null, addresses[0]!.address, addresses[0]!.family);
      }
    },
    (error: NodeJS.ErrnoException) => callback(error, "", 4),
  );
};

const RAW_TEXT = new Set(["script", "style"]);

/**
 * What a source page says, read once by htmlparser2's tokenizer (linear; the
 * regexes it replaces scanned from every `<title`, `<a` or `<script` to the
 * end of a 1 MB page): its text outside scripts and styles with white space
 * collapsed, its first `<title>`, and its links with the offset of each `<a`.
 */
export function readHtml(html: string): { text: string; title: string | null; links: { href: string; index: number }[] } {
  const text: string[] = [];
  const links: { href: string; index: number }[] = [];
  let title: string[] | null = null;
  let inTitle = false;
  let inRawText: string | null = null;
  scanHtml(html, {
    open(name, attribs, start) {
      if (RAW_TEXT.has(name)) inRawText = name;
      if (name === "title" && title === null) {
        inTitle = true;
        title = [];
      }
      const href = attribs.get("href");
      if (name === "a" && href) links.push({ href, index: start });
      text.push(" ");
    },
    close(name) {
      if (name === inRawText) inRawText = null;
      if (name === "title") inTitle = false;
      text.push(" ");
    },
    text(data) {
      if (inTitle) title?.push(data);
      else if (inRawText === null) text.push(data);
    },
  });
  const collapse = (parts: string[]) => parts.join("").replace(/\s+/g, " ").trim();
  return { text: collapse(text), title: title === null ? null : collapse(title), links };
}

const MAX_REDIRECTS = 3;

/**
 * Fetch the source page, bounded in time (5 s in all) and size (1 MB), from
 * public addresses only unless WEBMENTION_ALLOW_PRIVATE=on: the check runs in
 * the lookup the connection itself uses (no second resolution to rebind), on
 * literal addresses, and again on every redirect, which are followed by hand.
 */
async function fetchSource(source: URL): Promise<string> {
  const allowPrivate = env().WEBMENTION_ALLOW_PRIVATE === "on";
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let url = source;
  try {
    for (let hop = 0; ; hop++) {
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (!allowPrivate && isIP(host) && !isPublicAddress(host)) throw new NotPublicError(host);
      const response = await get(url, { signal, lookup: allowPrivate ? undefined : publicLookup });
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (hop >= MAX_REDIRECTS) throw new AppError("invalid:input", "The source page redirects too many times.");
        url = httpUrl(new URL(response.headers.location, url).href, "The source's redirect");
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new AppError("invalid:input", `The source page could not be fetched (HTTP ${status}).`);
      }
      return await readBody(response);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof NotPublicError) throw new AppError("invalid:input", "The source is not on a public address.");
    throw new AppError("invalid:input", "The source page could not be fetched (no answer in time, or the connection failed).");
  }
}

function get(url: URL, options: { signal: AbortSignal; lookup?: LookupFunction }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { Accept: "text/html", "Accept-Encoding": "identity", "User-Agent": "Propagate-Webmention/1 (checks that a page links to the wiki)" };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, { method: "GET", headers, ...options }, resolve);
    request.on("error", reject);
    request.end();
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > MAX_SOURCE_BYTES) {
      response.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
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
  const slug = titleFromSegment(match[1]!)?.slug;
  if (!slug) throw new AppError("invalid:input", "target is not a page of this wiki.");
  const [page] = await db.select({ id: pages.id }).from(pages).where(eq(pages.slug, slug));
  if (!page) throw new AppError("not_found:page", "target is not a page of this wiki.");

  let title = source.hostname;
  let excerpt = "";
  const reasons: string[] = [];
  let verified = false;
  if (env().WEBMENTION_VERIFY === "on") {
    const html = await fetchSource(source);
    const page = readHtml(html);
    const linked = page.links.find((l) => {
      try {
        const href = new URL(l.href, source);
        const path = decodeSegment(href.pathname);
        return href.host === target.host && path !== null && path === decodeSegment(target.pathname);
      } catch {
        return false;
      }
    });
    if (!linked) throw new AppError("invalid:input", "The source does not link to the target.");
    verified = true;
    title = (page.title ?? "").slice(0, 300) || source.hostname;
    const around = html.slice(Math.max(0, linked.index - 600), linked.index + 600);
    excerpt = readHtml(around).text.slice(0, 400);
  } else {
    reasons.push("not verified (verification is off)");
  }
  const verdict = checkSpam({ text: `${title}\n${excerpt}`, isGuest: true, authorUrl: source.href }, await currentClassifier(db));
  const status = verdict.hold || !verified ? "held" : "visible";
  const values = { pageId: page.id, kind: "webmention" as const, sourceUrl: source.href, sourceTitle: title, excerpt, status: status as "held" | "visible", verifiedAt: verified ? new Date() : null };
  const [existing] = await db.select().from(mentions).where(and(eq(mentions.pageId, page.id), eq(mentions.sourceUrl, source.href)));
  // Resending never undoes a moderator: a hidden (or spam) mention stays so, and an unverified
  // resend changes nothing about a mention that is already there.
  if (existing && (existing.status === "hidden" || existing.status === "spam" || !verified)) {
    return { mention: existing, status: existing.status, reasons: ["this source was already received; nothing changed"] };
  }
  const [row] = existing
    ? await db.update(mentions).set(values).where(eq(mentions.id, existing.id)).returning()
    : await db.insert(mentions).values(values).returning();
  return { mention: row!, status, reasons: [...reasons, ...(verdict.hold ? verdict.reasons : [])] };
}
