import "server-only";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { searchableFields, searchWeights, type SearchWeight } from "./page-kinds";

/*
 * How a page's words go into its search vector, at the weights the page-kind
 * registry gives them: the title, each indexed front matter field, the body.
 * Weights are constants from the registry, never request text.
 */

const weightSql = (weight: SearchWeight) => sql.raw(`'${weight}'`);
const weighted = (text: string, weight: SearchWeight) => sql`setweight(to_tsvector('english', ${text}), ${weightSql(weight)})`;
const filterSql = (weights: readonly SearchWeight[]) => sql.raw(`'{${weights.map((w) => w.toLowerCase()).join(",")}}'`);
const allWeights: readonly SearchWeight[] = ["A", "B", "C", "D"];

/**
 * How much of a page's plain text is kept for snippets: ts_headline parses
 * the whole text it is given (PostgreSQL's parser manages about 3 MB/s, so 20
 * snippets of 4 KB pages cost 25 ms, of 200 KB pages over a second). A match
 * further down is still found (the vector has every word); its snippet then
 * shows the page's opening words instead of the match.
 */
export const SNIPPET_SOURCE_CHARS = 2000;

/** The search text (for snippets, at most SNIPPET_SOURCE_CHARS) and vector of a page: title, indexed fields by weight, body. */
export function pageSearchIndex(title: string, fields: Readonly<Record<string, unknown>>, bodyText: string): { searchText: string; searchVector: SQL } {
  const groups = searchableFields(fields);
  const fieldText = groups.map((g) => g.text).join(" · ");
  const parts = [weighted(title, searchWeights.title), ...groups.map((g) => weighted(g.text, g.weight)), weighted(bodyText, searchWeights.body)];
  return { searchText: truncateText(fieldText ? `${fieldText} · ${bodyText}` : bodyText, SNIPPET_SOURCE_CHARS), searchVector: sql.join(parts, sql` || `) };
}

/** At most `max` UTF-16 units, never ending inside a surrogate pair (PostgreSQL refuses a lone surrogate). */
function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `vector` with its title lexemes replaced by those of `title` (after a rename). */
export function withTitleLexemes(vector: AnyColumn | SQL, title: string): SQL {
  const rest = allWeights.filter((w) => w !== searchWeights.title);
  return sql`${weighted(title, searchWeights.title)} || ts_filter(coalesce(${vector}, ''::tsvector), ${filterSql(rest)})`;
}

/** Only the title lexemes of `vector`: a match there is a title match. */
export function titleLexemes(vector: AnyColumn | SQL): SQL {
  return sql`ts_filter(${vector}, ${filterSql([searchWeights.title])})`;
}
