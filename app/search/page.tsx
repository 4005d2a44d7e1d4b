import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { HIGHLIGHT_END, HIGHLIGHT_START, searchPages } from "@/lib/search/search";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath, tryParseTitle } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "Search" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Render a snippet whose highlights are marked with control characters, as text plus <mark>. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START);
  return (
    <p className="search-snippet">
      {parts.map((part, i) => {
        if (i === 0) return <span key={i}>{part}</span>;
        const [marked, rest] = part.split(HIGHLIGHT_END);
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        );
      })}
    </p>
  );
}

export default async function SearchPage({ searchParams }: Props) {
  await connection();
  const params = await searchParams;
  const raw = typeof params.q === "string" ? params.q : "";
  // As MediaWiki's "Go": a query that is exactly a page's title opens that page (?fulltext=1 searches anyway).
  const asTitle = raw.length <= 255 ? tryParseTitle(raw) : null;
  const exact = asTitle ? await getPageBySlug(getDb(), asTitle.slug) : null;
  if (exact && params.fulltext !== "1") redirect(pagePath(exact.slug));
  const outcome = raw === "" ? null : await searchPages(getDb(), raw);
  const create = asTitle && !exact && outcome?.status !== "invalid" ? asTitle : null;
  return (
    <>
      <h1>Search</h1>
      <form action="/search" method="get" role="search" className="search-form">
        <label htmlFor="search-q">Words to find</label>{" "}
        <input id="search-q" name="q" type="search" defaultValue={outcome?.query ?? ""} maxLength={1000} />{" "}
        <button type="submit">Search</button>
      </form>
      {outcome === null ? <p>Search titles, both sides of each difference, and page text.</p> : null}
      {create ? (
        <p className="create-page">
          There is no page titled &ldquo;{create.title}&rdquo;.{" "}
          <Link href={pagePath(create.slug, "/edit")}>Create the page &ldquo;{create.title}&rdquo;</Link>
        </p>
      ) : null}
      {outcome?.status === "invalid" ? (
        <p role="alert" className="search-message">
          {outcome.message}
        </p>
      ) : null}
      {outcome?.status === "empty" ? (
        <div role="status">
          <p>No page matches &ldquo;{outcome.query}&rdquo;.</p>
          {outcome.suggestions.length > 0 ? (
            <p>
              Did you mean:{" "}
              {outcome.suggestions.map((s, i) => (
                <span key={s.slug}>
                  {i > 0 ? ", " : ""}
                  <Link href={pagePath(s.slug)}>{s.title}</Link>
                </span>
              ))}
              ?
            </p>
          ) : null}
        </div>
      ) : null}
      {outcome?.status === "results" ? (
        <>
          <p role="status">
            {outcome.hits.length} {outcome.hits.length === 1 ? "page matches" : "pages match"} &ldquo;{outcome.query}&rdquo;.
          </p>
          <ol className="search-results">
            {outcome.hits.map((hit) => (
              <li key={hit.slug}>
                <Link href={pagePath(hit.slug)} className="search-title">
                  {hit.title}
                </Link>{" "}
                <span className="page-kind-badge">{hit.kind}</span>
                <Snippet text={hit.snippet} />
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </>
  );
}
