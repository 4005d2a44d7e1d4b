import "server-only";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { stringify } from "yaml";
import type { Database } from "@/lib/db/client";
import { pages, talkPosts, talkThreads, users } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { plainTextToHtml } from "@/lib/talk/plain-text";
import { cleanForeignName } from "@/lib/text";
import { MAX_MDX_BYTES } from "@/lib/mdx/allowlist-rules";
import { savePage } from "@/lib/wiki/page-updater";
import { parseTitle, TitleError } from "@/lib/wiki/title";
import { readMediawikiDump, type DumpContributor, type DumpInfo, type DumpPage } from "./mediawiki-dump";
import { TALK_NAMESPACE } from "./mediawiki-export";
import { wikitextToMdx } from "./wikitext-to-mdx";

export type ImportReport = {
  version: string;
  imported: { title: string; revisions: number }[];
  /** Pages left out on purpose (another namespace, a redirect, a title that exists), with why. */
  skipped: { title: string; reason: string }[];
  /** Pages that failed: nothing of them was written. */
  failed: { title: string; error: string }[];
  /** Constructs kept in fenced blocks, with how often and on which pages (the first ten). */
  unconverted: { construct: string; count: number; pages: string[] }[];
  /** Revisions whose conversion did not pass the MDX check: kept whole as wikitext in a fenced block. */
  keptAsWikitext: { title: string; revision: number | null; reason: string }[];
  revisions: number;
  talkPosts: number;
  contributorsCreated: number;
};

export type ImportProgress = { pages: number; revisions: number };

const SKIP_REPORT_LIMIT = 1000;
/** An imported contributor's name is shown on history pages: at most this long (MediaWiki allows 255 bytes). */
export const MAX_CONTRIBUTOR_NAME = 85;
/** What the wiki's own forms accept: an edit summary (summaryField), a talk post and a guest's name (lib/commands/talk/post-fields.ts). */
export const MAX_IMPORTED_SUMMARY = 500;
export const MAX_IMPORTED_POST = 200_000;
const MAX_GUEST_NAME = 200;

/** A dump's edit summary as a summary here: at most MAX_IMPORTED_SUMMARY characters. */
function importedSummary(comment: string): string {
  const chars = Array.from(comment.trim());
  return chars.length <= MAX_IMPORTED_SUMMARY ? comment.trim() : `${chars.slice(0, MAX_IMPORTED_SUMMARY - 1).join("")}…`;
}

/** A contributor's name as a dump gives it, made safe to show (no invisible or direction-changing characters, no line breaks, bounded). */
export function contributorName(contributor: DumpContributor): string {
  if ("username" in contributor) return cleanForeignName(contributor.username, MAX_CONTRIBUTOR_NAME) || "Unnamed contributor";
  if ("ip" in contributor) return cleanForeignName(contributor.ip, MAX_CONTRIBUTOR_NAME) || "Unnamed contributor";
  return "Deleted contributor";
}

/** Contributors as imported-user records, created once each (outside the pages' transactions, so a failed page leaves at most a name). */
class Contributors {
  private ids = new Map<string, string>();
  created = 0;
  constructor(private readonly db: Database) {}

  async idOf(contributor: DumpContributor): Promise<string> {
    const name = contributorName(contributor);
    const origin = "ip" in contributor ? "mediawiki-ip" : "mediawiki";
    const key = `${origin}\u0000${name}`;
    const known = this.ids.get(key);
    if (known) return known;
    const id = await this.find(name, origin);
    this.ids.set(key, id);
    return id;
  }

  private async find(name: string, origin: string): Promise<string> {
    const [imported] = await this.db
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.name}) = lower(${name})`, isNotNull(users.importedFrom)));
    if (imported) return imported.id;
    // A member of this wiki may have the same name: the imported record then says where it came from.
    for (const candidate of [name, `${name} (imported)`, `${name} (imported ${Date.now().toString(36)})`]) {
      const [row] = await this.db.insert(users).values({ name: candidate, role: "reader", importedFrom: origin }).onConflictDoNothing().returning({ id: users.id });
      if (row) {
        this.created++;
        return row.id;
      }
      const [same] = await this.db
        .select({ id: users.id })
        .from(users)
        .where(and(sql`lower(${users.name}) = lower(${candidate})`, isNotNull(users.importedFrom)));
      if (same) return same.id;
    }
    throw new Error(`no free name for the contributor ${name}`);
  }
}

function fallbackSource(title: string, wikitext: string): string {
  const front = stringify({ title, kind: "article", summary: "Imported from MediaWiki; its text could not be converted and is kept as wikitext." }, { lineWidth: 0 });
  let longest = 0;
  let run = 0;
  for (const ch of wikitext) {
    run = ch === "`" ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `---\n${front}---\n\nThis revision was imported from MediaWiki; its wikitext is kept below as it was.\n\n${ticks}wikitext\n${wikitext}\n${ticks}\n`;
}

/**
 * Import a MediaWiki dump (versions 0.10 and 0.11) read as a stream: each page
 * of the main namespace with its full history, in one transaction per page
 * (a killed or failed import leaves only complete pages); talk pages' appended
 * comments as talk posts; contributors as imported-user records (addresses
 * kept as addresses). A page whose title exists already is skipped, so an
 * import run again adds only what is new.
 */
export async function importMediawiki(
  db: Database,
  input: AsyncIterable<Buffer | string>,
  options: { source: string; onProgress?: (p: ImportProgress) => void },
): Promise<ImportReport> {
  const report: ImportReport = { version: "", imported: [], skipped: [], failed: [], unconverted: [], keptAsWikitext: [], revisions: 0, talkPosts: 0, contributorsCreated: 0 };
  const unconverted = new Map<string, { count: number; pages: string[] }>();
  const contributors = new Contributors(db);
  let namespaces: string[] = [];
  const skip = (title: string, reason: string) => {
    if (report.skipped.length < SKIP_REPORT_LIMIT) report.skipped.push({ title, reason });
  };
  const onInfo = (info: DumpInfo) => {
    report.version = info.version;
    namespaces = [...info.namespaces.entries()].filter(([key]) => key !== 0).map(([, name]) => name);
  };
  let done = 0;
  for await (const page of readMediawikiDump(input, onInfo)) {
    done++;
    if (page.error) {
      report.failed.push({ title: page.title, error: page.error });
      continue;
    }
    try {
      if (page.ns === 0) await importArticle(db, page);
      else if (page.ns === TALK_NAMESPACE) await importTalkPage(db, page);
      else skip(page.title, `namespace ${page.ns} (${namespaces.length > 0 ? "not an article or talk page" : "not imported"})`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const issues = (error.details.issues as { line: number; message: string }[] | undefined)?.map((i) => `line ${i.line}: ${i.message}`).join("; ");
      report.failed.push({ title: page.title, error: issues ? `${error.message} ${issues}` : error.message });
    }
    options.onProgress?.({ pages: done, revisions: report.revisions });
  }
  report.contributorsCreated = contributors.created;
  report.unconverted = [...unconverted.entries()].map(([construct, v]) => ({ construct, ...v })).sort((a, b) => b.count - a.count);
  return report;

  async function importArticle(database: Database, page: DumpPage): Promise<void> {
    if (page.redirect !== null) return skip(page.title, `a redirect to "${page.redirect}" (redirects are not imported)`);
    let title;
    try {
      title = parseTitle(page.title);
    } catch (error) {
      if (error instanceof TitleError) return skip(page.title, `its title cannot be a title here: ${error.message}`);
      throw error;
    }
    const [existing] = await database.select({ id: pages.id }).from(pages).where(eq(pages.slug, title.slug));
    if (existing) return skip(page.title, "a page with this title exists already");
    if (page.revisions.length === 0) return skip(page.title, "it has no revisions");
    const authors: string[] = [];
    for (const r of page.revisions) authors.push(await contributors.idOf(r.contributor));
    const seen = new Map<string, number>();
    const wikitextKept: ImportReport["keptAsWikitext"] = [];
    let saved = 0;
    await database.transaction(async (tx) => {
      let base: number | null = null;
      for (const [i, r] of page.revisions.entries()) {
        let content = r.text;
        let unconvertible: string | null = null;
        // Larger than any page here: refused before the conversion, whose time grows faster than its input (nested links, tables).
        const bytes = Buffer.byteLength(r.text, "utf8");
        if (bytes > MAX_MDX_BYTES) {
          throw new AppError("invalid:content", `Revision ${r.id ?? i + 1} is ${Math.ceil(bytes / 1024)} KB of text; a page here is at most ${MAX_MDX_BYTES / 1024} KB, so it was not converted.`);
        }
        if (r.model === "wikitext") {
          try {
            const conversion = wikitextToMdx(r.text, title.title, { namespaces });
            content = conversion.mdx;
            for (const [construct, count] of conversion.unconverted) seen.set(construct, Math.max(seen.get(construct) ?? 0, count));
          } catch (error) {
            // The parser recurses per nesting level: thousands of nested {{ or [[ exhaust the stack. Such a revision is kept as wikitext.
            if (!(error instanceof RangeError)) throw error;
            unconvertible = "Its markup is nested too deeply to convert.";
          }
        }
        const save = (text: string) =>
          savePage(tx as unknown as Database, {
            title: title.title,
            content: text,
            authorId: authors[i]!,
            summary: importedSummary(r.comment),
            minor: r.minor,
            baseRevisionId: base,
            merge: false,
            watch: false,
            summarise: false,
            createdAt: r.timestamp,
            change: { type: "import", file: `${options.source}${r.id ? `#revision-${r.id}` : ""}` },
          });
        let result;
        try {
          if (unconvertible) throw new AppError("invalid:content", unconvertible);
          result = await save(content);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== "invalid:content" || r.model !== "wikitext") throw error;
          const reason = (error.details.issues as { message: string }[] | undefined)?.[0]?.message ?? error.message;
          wikitextKept.push({ title: title.title, revision: r.id, reason });
          result = await save(fallbackSource(title.title, r.text));
        }
        if (result.status === "saved") {
          base = result.revision.id;
          saved++;
        }
      }
    });
    report.revisions += saved;
    report.imported.push({ title: title.title, revisions: saved });
    report.keptAsWikitext.push(...wikitextKept.slice(0, 100));
    for (const [construct, count] of seen) {
      const entry = unconverted.get(construct) ?? { count: 0, pages: [] };
      entry.count += count;
      if (entry.pages.length < 10) entry.pages.push(title.title);
      unconverted.set(construct, entry);
    }
  }

  async function importTalkPage(database: Database, page: DumpPage): Promise<void> {
    const subject = page.title.replace(/^[^:]*:/, "");
    let slug: string;
    try {
      slug = parseTitle(subject).slug;
    } catch {
      return skip(page.title, "its page's title cannot be a title here");
    }
    const [target] = await database.select({ id: pages.id }).from(pages).where(eq(pages.slug, slug));
    if (!target) return skip(page.title, "its page is not in this wiki");
    const [already] = await database.select({ id: talkThreads.id }).from(talkThreads).where(and(eq(talkThreads.pageId, target.id), sql`${talkThreads.importKey} like ${`${options.source}#%`}`)).limit(1);
    if (already) return skip(page.title, "its talk was imported from this source already");
    const authors: string[] = [];
    for (const r of page.revisions) authors.push(await contributors.idOf(r.contributor));
    let posts = 0;
    await database.transaction(async (tx) => {
      let previous = "";
      let thread: { id: number } | null = null;
      for (const [i, r] of page.revisions.entries()) {
        const text = r.text;
        if (!text.startsWith(previous)) {
          skip(page.title, `revision ${r.id ?? i + 1} rewrites earlier text; only appended text becomes posts`);
          previous = text;
          continue;
        }
        let added = text.slice(previous.length).replace(/^\n+/, "");
        previous = text;
        if (!added.trim()) continue;
        const heading = /^==([^=\n].*?)==[ \t]*(\n|$)/.exec(added.slice(0, 400));
        if (heading || !thread) {
          const threadTitle = (heading?.[1] ?? "Discussion").trim().slice(0, 200) || "Discussion";
          if (heading) added = added.slice(heading[0].length).replace(/^\n+/, "");
          thread =
            (
              await tx
            .insert(talkThreads)
            .values({ pageId: target.id, title: threadTitle, createdBy: authors[i]!, importKey: `${options.source}#${r.id ?? `talk-${target.id}-${i}`}`, createdAt: r.timestamp, lastActivityAt: r.timestamp })
            .returning({ id: talkThreads.id })
            )[0] ?? null;
        }
        // The signature our export writes (and a plain "— name time" line) is the author, already recorded.
        const lines = added.trimEnd().split("\n");
        if (lines.length > 1 && lines.at(-1)!.startsWith("— ")) lines.pop();
        const body = lines.join("\n").trim();
        if (!body) continue;
        if (body.length > MAX_IMPORTED_POST) {
          skip(page.title, `revision ${r.id ?? i + 1} adds a post longer than ${MAX_IMPORTED_POST.toLocaleString("en")} characters (the most a post can be here); it was left out`);
          continue;
        }
        const guest = /\(guest\) \S+$/.test((added.trimEnd().split("\n").at(-1) ?? "").slice(-200));
        const name = cleanForeignName(contributorName(r.contributor), MAX_GUEST_NAME);
        await tx.insert(talkPosts).values({
          threadId: thread!.id,
          authorId: guest ? null : authors[i]!,
          guestName: guest ? name : null,
          bodySource: body,
          bodyHtml: plainTextToHtml(body),
          importKey: `${options.source}#${r.id ?? `talk-${target.id}-${i}`}:post`,
          importedFrom: options.source,
          createdAt: r.timestamp,
        });
        await tx.update(talkThreads).set({ lastActivityAt: r.timestamp }).where(eq(talkThreads.id, thread!.id));
        posts++;
      }
    });
    report.talkPosts += posts;
  }
}
