import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";

export const MAX_QUERY_LENGTH = 200;
/** Marks around highlighted words in snippets; control characters never occur in page text. */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

export type SearchHit = { slug: string; title: string; kind: string; snippet: string; titleMatch: boolean };
export type SearchOutcome =
  | { status: "results"; query: string; hits: SearchHit[] }
  | { status: "empty"; query: string; suggestions: { slug: string; title: string }[] }
  | { status: "invalid"; query: string; message: string };

/** Clean a raw query: NFC, no control characters, single spaces. */
export function cleanQuery(raw: string): string {
  // eslint-disable-next-line no-control-regex -- strip control characters from user input
  return raw.normalize("NFC").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Full-text search over titles, structured fields and bodies (a stored,
 * GIN-indexed tsvector), title matches first, then by rank, with highlighted
 * snippets. Any text is a valid query (websearch syntax never fails to parse);
 * empty and over-long queries get a message; no hits suggest close titles.
 */
export async function searchPages(db: Database, raw: string, limit = 20): Promise<SearchOutcome> {
  const query = cleanQuery(raw);
  if (query.length === 0) return { status: "invalid", query, message: "Type one or more words to search for." };
  if (query.length > MAX_QUERY_LENGTH) {
    return { status: "invalid", query: query.slice(0, MAX_QUERY_LENGTH), message: `A search can be at most ${MAX_QUERY_LENGTH} characters long.` };
  }
  const [probe] = await db.execute<{ q: string }>(sql`select websearch_to_tsquery('english', ${query})::text as q`);
  if (!probe?.q) {
    const suggestions = await suggestTitles(db, query);
    return { status: "empty", query, suggestions };
  }
  const rows = await db.execute<{ slug: string; title: string; kind: string; snippet: string; title_match: boolean }>(sql`
    with q as (select websearch_to_tsquery('english', ${query}) as query),
    hits as (
      select p.slug, p.title, p.kind, p.search_text,
             (to_tsvector('english', p.title) @@ q.query or p.title ilike ${"%" + escapeLike(query) + "%"}) as title_match,
             ts_rank_cd(p.search_vector, q.query) as rank
      from pages p, q
      where p.deleted_at is null and p.search_vector @@ q.query
      order by title_match desc, rank desc, p.title
      limit ${limit}
    )
    select slug, title, kind, title_match,
           ts_headline('english', search_text, (select query from q),
             ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
    from hits
    order by title_match desc, rank desc, title`);
  if (rows.length === 0) return { status: "empty", query, suggestions: await suggestTitles(db, query) };
  return {
    status: "results",
    query,
    hits: rows.map((r) => ({ slug: r.slug, title: r.title, kind: r.kind, snippet: r.snippet, titleMatch: r.title_match })),
  };
}

/** Titles close to the query (trigram similarity), for "did you mean". */
export async function suggestTitles(db: Database, query: string): Promise<{ slug: string; title: string }[]> {
  const rows = await db.execute<{ slug: string; title: string }>(sql`
    select slug, title from pages
    where deleted_at is null and (title % ${query} or word_similarity(${query}, title) > 0.4)
    order by greatest(similarity(title, ${query}), word_similarity(${query}, title)) desc, title
    limit 5`);
  return rows.map((r) => ({ slug: r.slug, title: r.title }));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
