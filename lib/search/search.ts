import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { replaceControls } from "@/lib/text";

export const MAX_QUERY_LENGTH = 200;
/** At most this many of the most recently edited matches are ranked (see searchPages). */
export const RANK_CANDIDATES = 200;
/** At most this many title matches are ranked, always before the others. */
export const TITLE_CANDIDATES = 100;
/** Marks around highlighted words in snippets; control characters never occur in page text. */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

/** Longest snippet shown, in UTF-16 code units (ts_headline counts words, and one word can be 100,000 characters). */
export const MAX_SNIPPET_LENGTH = 400;

/**
 * A snippet cut to at most {@link MAX_SNIPPET_LENGTH} characters plus an
 * ellipsis (and a closing highlight mark when the cut fell inside a
 * highlighted word), never splitting a surrogate pair. One scan.
 */
export function boundSnippet(snippet: string, max = MAX_SNIPPET_LENGTH): string {
  if (snippet.length <= max) return snippet;
  let end = max;
  const last = snippet.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let open = false;
  for (let i = 0; i < end; i++) {
    const c = snippet[i];
    if (c === HIGHLIGHT_START) open = true;
    else if (c === HIGHLIGHT_END) open = false;
  }
  return `${snippet.slice(0, end)}${open ? HIGHLIGHT_END : ""}…`;
}

export type SearchHit = { slug: string; title: string; kind: string; snippet: string; titleMatch: boolean };
export type SearchOutcome =
  | { status: "results"; query: string; hits: SearchHit[] }
  | { status: "empty"; query: string; suggestions: { slug: string; title: string }[] }
  | { status: "invalid"; query: string; message: string };

/** Clean a raw query: NFC, no control characters, single spaces. */
export function cleanQuery(raw: string): string {
  return replaceControls(raw.normalize("NFC"), " ").replace(/\s+/g, " ").trim();
}

/**
 * Full-text search over titles, structured fields and bodies (a stored,
 * GIN-indexed tsvector), title matches first, then by rank, with highlighted
 * snippets. Any text is a valid query (websearch syntax never fails to parse);
 * empty and over-long queries get a message; no hits suggest close titles.
 */
export async function searchPages(db: Database, raw: string, limit = 20, options: { candidates?: number } = {}): Promise<SearchOutcome> {
  const query = cleanQuery(raw);
  if (query.length === 0) return { status: "invalid", query, message: "Type one or more words to search for." };
  if (query.length > MAX_QUERY_LENGTH) {
    return { status: "invalid", query: query.slice(0, MAX_QUERY_LENGTH), message: `A search can be at most ${MAX_QUERY_LENGTH} characters long.` };
  }
  // A query of stop words only ("the") parses to an empty tsquery, which matches nothing: no rows, then suggestions.
  // The cost follows the limits, not the number of matches. At most
  // `candidates` pages are ranked, title matches first, found by two indexed
  // queries that each stop at their limit: title matches (the title's own
  // tsvector, or the words as a substring through the trigram index; at most
  // TITLE_CANDIDATES, each checked against the page's vector), then the most
  // recently edited matches (the (touched_at, id) index walked newest first
  // and each page's vector checked: a common word stops after about
  // `candidates` pages; for a rare one the planner takes the GIN index, which
  // finds few). Only a query matching more pages than that loses anything:
  // its older body-only matches are not ranked. Snippets are made for the top
  // `limit` only, from at most 2,000 characters of stored text
  // (SNIPPET_SOURCE_CHARS). The query is spelled out in each filter, not
  // joined from a CTE, so the planner can answer it from an index.
  const candidates = options.candidates ?? RANK_CANDIDATES;
  // A single word also matches inside a title ("doption"); several words match a title through its
  // tsvector (each trigram of a long phrase is another posting list for the trigram index to read).
  const substring = query.includes(" ") ? null : `%${escapeLike(query)}%`;
  const rows = await db.execute<{ slug: string; title: string; kind: string; snippet: string; title_match: boolean }>(sql`
    with q as (select websearch_to_tsquery('english', ${query}) as query),
    titled_by_name as materialized (
      select p.id from pages p
      where p.deleted_at is null
        and (to_tsvector('english', p.title) @@ websearch_to_tsquery('english', ${query})${substring ? sql` or p.title ilike ${substring}` : sql``})
      limit ${TITLE_CANDIDATES}
    ),
    titled as (
      select p.id, p.touched_at from titled_by_name t join pages p on p.id = t.id
      where p.search_vector @@ websearch_to_tsquery('english', ${query})
    ),
    recent as materialized (
      select p.id, p.touched_at from pages p
      where p.deleted_at is null and p.search_vector @@ websearch_to_tsquery('english', ${query})
      order by p.touched_at desc, p.id desc
      limit ${candidates}
    ),
    candidates as (
      select id, title_match from (
        select id, true as title_match, touched_at from titled
        union all
        select r.id, false, r.touched_at from recent r where not exists (select 1 from titled t where t.id = r.id)
      ) c
      order by title_match desc, touched_at desc, id desc
      limit ${candidates}
    ),
    hits as (
      select p.id, p.title, c.title_match, ts_rank_cd(p.search_vector, q.query) as rank
      from candidates c join pages p on p.id = c.id, q
      order by c.title_match desc, rank desc, p.title
      limit ${limit}
    )
    select p.slug, p.title, p.kind, h.title_match,
           ts_headline('english', p.search_text, (select query from q),
             ${`StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snippet
    from hits h join pages p on p.id = h.id
    order by h.title_match desc, h.rank desc, h.title`);
  if (rows.length === 0) return { status: "empty", query, suggestions: await suggestTitles(db, query) };
  return {
    status: "results",
    query,
    hits: rows.map((r) => ({ slug: r.slug, title: r.title, kind: r.kind, snippet: boundSnippet(r.snippet), titleMatch: r.title_match })),
  };
}

/** At most this many titles that pass the similarity threshold are compared for suggestions. */
const SUGGESTION_CANDIDATES = 200;
/** How similar a title must be, word-wise, to the query to be suggested. */
const WORD_SIMILARITY = 0.4;

/**
 * Titles close to the query, for "did you mean": the trigram similarity of
 * the query to the title's closest stretch of words (`<%`), answered by the
 * trigram index on titles (pg_trgm, in PGlite too), never a scan of every
 * title; ordered by the better of that and the whole title's similarity.
 */
export async function suggestTitles(db: Database, query: string): Promise<{ slug: string; title: string }[]> {
  // Fewer than three letters make no trigram of their own: nothing to suggest from.
  if ((query.match(/\p{L}/gu) ?? []).length < 3) return [];
  const rows = await db.transaction(async (tx) => {
    // `<%` compares with this setting; set for this transaction only.
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true)`);
    // The index offers the titles sharing trigrams with the query; at most
    // SUGGESTION_CANDIDATES of those that pass are compared, so a short or
    // common query (whose trigrams are in thousands of titles) stays bounded.
    return tx.execute<{ slug: string; title: string }>(sql`
      select slug, title from (
        select slug, title from pages
        where deleted_at is null and ${query} <% title
        limit ${SUGGESTION_CANDIDATES}
      ) c
      order by greatest(similarity(title, ${query}), word_similarity(${query}, title)) desc, title
      limit 5`);
  });
  return rows.map((r) => ({ slug: r.slug, title: r.title }));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
