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

/** The search text (for snippets) and vector of a page: title, indexed fields by weight, body. */
export function pageSearchIndex(title: string, fields: Readonly<Record<string, unknown>>, bodyText: string): { searchText: string; searchVector: SQL } {
  const groups = searchableFields(fields);
  const fieldText = groups.map((g) => g.text).join(" ");
  const parts = [weighted(title, searchWeights.title), ...groups.map((g) => weighted(g.text, g.weight)), weighted(bodyText, searchWeights.body)];
  return { searchText: `${fieldText}\n${bodyText}`, searchVector: sql.join(parts, sql` || `) };
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
