import Link from "next/link";
import { keysetRequest, type KeysetPage, type KeysetRequest } from "@/lib/wiki/keyset";
import { fieldSpecs, sides } from "@/lib/wiki/page-kinds";
import { OVERVIEW_PAGE_SIZE, type MatrixRow, type MatrixSort } from "@/lib/wiki/page-store";
import { pagePath } from "@/lib/wiki/title";
import { Pager } from "./pager";

/**
 * The overview matrix: one keyset page of difference pages (sorted and
 * filtered in the database), TKM beside SL. The tag filter offers the tags
 * of the rows shown; every tag is on /tags.
 */
export function DifferenceMatrix({ page, basePath, tag, sort }: { page: KeysetPage<MatrixRow>; basePath: string; tag?: string; sort: MatrixSort }) {
  const sorted = page.rows;
  const allTags = [...new Set(sorted.flatMap((r) => r.tags))].sort();
  const href = (next: { tag?: string; sort?: MatrixSort }) => {
    const params = new URLSearchParams();
    const t = "tag" in next ? next.tag : tag;
    const s = next.sort ?? sort;
    if (t) params.set("tag", t);
    if (s !== "dimension") params.set("sort", s);
    const q = params.toString();
    return q ? `${basePath}?${q}` : basePath;
  };
  return (
    <section aria-labelledby="matrix-heading" className="matrix">
      <h2 id="matrix-heading">How they differ</h2>
      <p className="matrix-controls">
        <span>Sort by: </span>
        <Link href={href({ sort: "dimension" })} aria-current={sort === "dimension" ? "true" : undefined}>
          dimension
        </Link>{" "}
        ·{" "}
        <Link href={href({ sort: "title" })} aria-current={sort === "title" ? "true" : undefined}>
          page title
        </Link>
      </p>
      <nav aria-label="Filter by tag" className="tag-filter">
        <Link href={href({ tag: undefined })} aria-current={!tag ? "true" : undefined} className="tag">
          all
        </Link>
        {allTags.map((t) => (
          <Link key={t} href={href({ tag: t })} aria-current={tag === t ? "true" : undefined} className="tag">
            {t}
          </Link>
        ))}{" "}
        <Link href="/tags">every tag…</Link>
      </nav>
      {tag ? (
        <p className="matrix-filter-note">
          Showing differences tagged <strong>{tag}</strong>. <Link href={href({ tag: undefined })}>Show all</Link>
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="matrix-table">
          <caption className="visually-hidden">Differences between traditional knowledge management and social learning</caption>
          <thead>
            <tr>
              <th scope="col">{fieldSpecs.dimension.label}</th>
              <th scope="col">{sides.tkm}</th>
              <th scope="col">{sides.sl}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((row) => (
              <tr key={row.slug}>
                <th scope="row">
                  <Link href={pagePath(row.slug)}>{row.dimension}</Link>
                  {row.title !== row.dimension ? <span className="matrix-title">{row.title}</span> : null}
                </th>
                <td>{row.tkm}</td>
                <td>{row.sl}</td>
              </tr>
            ))}
            {sorted.length === 0 ? (
              <tr>
                <td colSpan={3}>No difference pages{tag ? ` are tagged ${tag}` : ""} {page.prev || page.next ? "here" : "yet"}.</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager basePath={basePath} keep={{ tag, sort: sort === "dimension" ? undefined : sort }} prev={page.prev} next={page.next} label="Pages of the overview" />
    </section>
  );
}

/** Read `?sort=`, `?tag=` and the page cursors (`?after=`, `?before=`) safely. */
export function matrixParams(searchParams: Record<string, string | string[] | undefined>): { sort: MatrixSort; tag?: string; page: KeysetRequest } {
  const sort = searchParams.sort === "title" ? "title" : "dimension";
  const raw = typeof searchParams.tag === "string" ? searchParams.tag.trim().toLowerCase() : "";
  return { sort, tag: /^[\p{L}\p{N}-]{1,40}$/u.test(raw) ? raw : undefined, page: keysetRequest(searchParams, OVERVIEW_PAGE_SIZE) };
}
