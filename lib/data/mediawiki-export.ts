import "server-only";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type postgres from "postgres";
import { MEDIAWIKI_XMLNS, mediawikiTimestamp, sha1Base36, xmlEscape } from "./mediawiki-xml";

/**
 * The content model and format of a Propagate page in an export: MDX is not
 * wikitext, so it is not passed off as wikitext; our own import reads it back
 * verbatim (a MediaWiki needs the model mapped, e.g. to plain text).
 */
export const MDX_MODEL = "propagate-mdx";
export const MDX_FORMAT = "text/markdown";
/** Talk pages are written as wikitext: one section per thread, one signed paragraph per post. */
export const TALK_NAMESPACE = 1;

const PAGE_BATCH = 100;
const REVISION_BATCH = 20;
const POST_BATCH = 200;

export type ExportProgress = { pages: number; revisions: number; totalPages: number };

type PageRow = { id: number; title: string; redirect_title: string | null };
type RevisionRow = { id: number; parent_id: number | null; created_at: number; author: string; summary: string; is_minor: boolean; content: string };
type PostRow = { id: number; thread_id: number; thread_title: string; author: string | null; guest_name: string | null; body_source: string; created_at: number };

/** The signature line that ends an exported talk post (and that the import takes off again). */
export function talkSignature(name: string, member: boolean, at: Date): string {
  return `— ${member ? `[[User:${name}|${name}]]` : `${name} (guest)`} ${mediawikiTimestamp(at)}`;
}

class XmlOut {
  constructor(private readonly out: Writable) {}
  async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, "drain");
  }
}

async function writeRevision(
  out: XmlOut,
  rev: { id: number; parentId: number | null; at: Date; contributor: { username: string } | { ip: string }; minor: boolean; comment: string; model: string; format: string; text: string },
): Promise<void> {
  const who = "username" in rev.contributor ? `<username>${xmlEscape(rev.contributor.username)}</username>` : `<ip>${xmlEscape(rev.contributor.ip)}</ip>`;
  await out.write(
    [
      "    <revision>\n",
      `      <id>${rev.id}</id>\n`,
      rev.parentId !== null ? `      <parentid>${rev.parentId}</parentid>\n` : "",
      `      <timestamp>${mediawikiTimestamp(rev.at)}</timestamp>\n`,
      `      <contributor>${who}</contributor>\n`,
      rev.minor ? "      <minor/>\n" : "",
      rev.comment ? `      <comment>${xmlEscape(rev.comment)}</comment>\n` : "",
      `      <model>${rev.model}</model>\n`,
      `      <format>${rev.format}</format>\n`,
      `      <text bytes="${Buffer.byteLength(rev.text, "utf8")}" xml:space="preserve">${xmlEscape(rev.text)}</text>\n`,
      `      <sha1>${sha1Base36(rev.text)}</sha1>\n`,
      "    </revision>\n",
    ].join(""),
  );
}

/**
 * Write the wiki as MediaWiki XML 0.11 to `out` (not ended here): every page
 * that is not deleted with its full history, then its talk page (namespace 1)
 * with one revision per visible post. Pages and revisions are read in keyset
 * batches bounded by the newest revision when the export began, so memory
 * stays flat however large the wiki, and history stays a consistent prefix
 * even while people save (revisions are append-only).
 */
export async function writeMediawikiExport(
  sql: postgres.Sql,
  out: Writable,
  options: { siteName: string; base: string; onProgress?: (p: ExportProgress) => void },
): Promise<ExportProgress> {
  const xml = new XmlOut(out);
  const [bounds] = await sql<{ max_rev: number; max_page: number; max_post: number; pages: number }[]>`
    select coalesce((select max(id) from revisions), 0)::int as max_rev,
           coalesce((select max(id) from pages), 0)::int as max_page,
           coalesce((select max(id) from talk_posts), 0)::int as max_post,
           (select count(*) from pages where deleted_at is null)::int as pages`;
  const maxRev = bounds?.max_rev ?? 0;
  const maxPage = bounds?.max_page ?? 0;
  const maxPost = bounds?.max_post ?? 0;
  const progress: ExportProgress = { pages: 0, revisions: 0, totalPages: bounds?.pages ?? 0 };
  await xml.write(
    [
      `<mediawiki xmlns="${MEDIAWIKI_XMLNS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MEDIAWIKI_XMLNS} http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">\n`,
      "  <siteinfo>\n",
      `    <sitename>${xmlEscape(options.siteName)}</sitename>\n`,
      "    <dbname>propagate</dbname>\n",
      `    <base>${xmlEscape(options.base)}</base>\n`,
      "    <generator>Propagate</generator>\n",
      "    <case>first-letter</case>\n",
      "    <namespaces>\n",
      '      <namespace key="0" case="first-letter"/>\n',
      '      <namespace key="1" case="first-letter">Talk</namespace>\n',
      '      <namespace key="2" case="first-letter">User</namespace>\n',
      '      <namespace key="3" case="first-letter">User talk</namespace>\n',
      "    </namespaces>\n",
      "    <namespacealiases/>\n",
      "  </siteinfo>\n",
    ].join(""),
  );
  let afterPage = 0;
  for (;;) {
    const batch = await sql<PageRow[]>`
      select p.id, p.title, t.title as redirect_title from pages p left join pages t on t.id = p.redirect_to_page_id
      where p.id > ${afterPage} and p.id <= ${maxPage} and p.deleted_at is null and p.latest_revision_id is not null
      order by p.id limit ${PAGE_BATCH}`;
    if (batch.length === 0) break;
    for (const page of batch) {
      afterPage = page.id;
      await xml.write(`  <page>\n    <title>${xmlEscape(page.title)}</title>\n    <ns>0</ns>\n    <id>${page.id}</id>\n`);
      if (page.redirect_title) await xml.write(`    <redirect title="${xmlEscape(page.redirect_title)}"/>\n`);
      let afterRev = 0;
      for (;;) {
        const revs = await sql<RevisionRow[]>`
          select r.id, r.parent_id, extract(epoch from r.created_at)::float8 as created_at, u.name as author, r.summary, r.is_minor, r.content
          from revisions r join users u on u.id = r.author_id
          where r.page_id = ${page.id} and r.id > ${afterRev} and r.id <= ${maxRev}
          order by r.id limit ${REVISION_BATCH}`;
        if (revs.length === 0) break;
        for (const r of revs) {
          afterRev = r.id;
          await writeRevision(xml, {
            id: r.id,
            parentId: r.parent_id,
            at: new Date(r.created_at * 1000),
            contributor: { username: r.author },
            minor: r.is_minor,
            comment: r.summary,
            model: MDX_MODEL,
            format: MDX_FORMAT,
            text: r.content,
          });
          progress.revisions++;
        }
      }
      await xml.write("  </page>\n");
      await writeTalkPage(sql, xml, page, { maxPage, maxRev, maxPost }, progress);
      progress.pages++;
      options.onProgress?.({ ...progress });
    }
  }
  await xml.write("</mediawiki>\n");
  return progress;
}

/**
 * A page's visible talk posts as the history of its Talk: page. Page and revision
 * ids are offset past the wiki's own (the schema wants them unique in a dump).
 */
async function writeTalkPage(sql: postgres.Sql, xml: XmlOut, page: PageRow, bounds: { maxPage: number; maxRev: number; maxPost: number }, progress: ExportProgress): Promise<void> {
  let text = "";
  let afterPost = 0;
  let previousId: number | null = null;
  const threadsSeen = new Set<number>();
  let opened = false;
  for (;;) {
    const posts = await sql<PostRow[]>`
      select p.id, p.thread_id, t.title as thread_title, u.name as author, p.guest_name, p.body_source, extract(epoch from p.created_at)::float8 as created_at
      from talk_posts p join talk_threads t on t.id = p.thread_id left join users u on u.id = p.author_id
      where t.page_id = ${page.id} and p.status = 'visible' and p.id > ${afterPost} and p.id <= ${bounds.maxPost}
      order by p.id limit ${POST_BATCH}`;
    if (posts.length === 0) break;
    for (const post of posts) {
      afterPost = post.id;
      if (!opened) {
        await xml.write(`  <page>\n    <title>Talk:${xmlEscape(page.title)}</title>\n    <ns>${TALK_NAMESPACE}</ns>\n    <id>${bounds.maxPage + page.id}</id>\n`);
        opened = true;
      }
      const name = post.author ?? post.guest_name ?? "Guest";
      const heading = threadsSeen.has(post.thread_id) ? "" : `== ${post.thread_title} ==\n\n`;
      threadsSeen.add(post.thread_id);
      const added = `${text ? "\n\n" : ""}${heading}${post.body_source.trim()}\n\n${talkSignature(name, post.author !== null, new Date(post.created_at * 1000))}`;
      text += added;
      const id = bounds.maxRev + post.id;
      await writeRevision(xml, {
        id,
        parentId: previousId,
        at: new Date(post.created_at * 1000),
        contributor: { username: name },
        minor: false,
        comment: heading ? `New thread: ${post.thread_title}` : `Reply in ${post.thread_title}`,
        model: "wikitext",
        format: "text/x-wiki",
        text,
      });
      previousId = id;
      progress.revisions++;
    }
  }
  if (opened) await xml.write("  </page>\n");
}
