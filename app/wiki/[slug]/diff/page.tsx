import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { sharedCharge } from "@/lib/wiki/diff-cost";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { compareRevisions } from "@/lib/wiki/revision-diff";
import { neighbours } from "@/lib/wiki/revision-store";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { PageTabs } from "../page-tabs";
import { parseId } from "@/lib/ids";
import { followRename } from "../renamed";
import { DiffHunks } from "./diff-hunks";
import { orphanedByEdits } from "@/lib/wiki/anchor-store";
import { shortQuote } from "../passage-text";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Difference between revisions" };

export default async function DiffPage({ params, searchParams }: Props) {
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  const q = await searchParams;
  // Without a choice, two columns that stack on narrow screens (CSS: the same HTML for every width).
  const view = q.view === "inline" ? "inline" : q.view === "side" ? "side" : "auto";
  if (!title.canonical) permanentRedirect(`${pagePath(title.slug, "/diff")}?${new URLSearchParams(q as Record<string, string>).toString()}`);
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (page?.redirectToPageId) await followRename(db, title.slug, "/diff", q);
  if (!page) notFound();
  const id = parseId;
  let to = id(q.to) ?? page.latestRevisionId!;
  let from = id(q.from);
  // An error, not a diff: not kept by the page cache (any number is a new address; see lib/http/page-cache-plan.ts).
  const bad = (message: string) => (
    <div data-page-cache="no-store">
      <PageTabs slug={page.slug} current="history" />
      <h1>Difference between revisions</h1>
      <p role="alert" className="form-error">
        {message} <Link href={pagePath(page.slug, "/history")}>Go to the history</Link>.
      </p>
    </div>
  );
  if ((q.from !== undefined && from === null) || (q.to !== undefined && id(q.to) === null)) return bad("Revision ids are positive whole numbers.");
  const requestedPage = q.page === undefined ? 1 : id(q.page);
  if (requestedPage === null) return bad("Page numbers are positive whole numbers.");
  if (from === null) from = (await neighbours(db, page.id, to)).previous;
  if (from === null) return bad("This is the first revision of the page; there is nothing earlier to compare it with.");
  if (from > to) [from, to] = [to, from];
  let result;
  try {
    result = await compareRevisions(db, page.id, from, to, { page: requestedPage, charge: sharedCharge(db) });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found:revision") return bad(error.message);
    // A passing refusal: marked so the page cache does not keep it.
    if (error instanceof AppError && (error.code === "rate_limited" || error.code === "unavailable")) {
      return (
        <div data-page-cache="no-store">
          <PageTabs slug={page.slug} current="history" />
          <h1>Difference between revisions</h1>
          <p role="alert" className="form-error">
            The wiki is comparing many large revisions right now. {error.message} <Link href={pagePath(page.slug, "/history")}>Go to the history</Link>.
          </p>
        </div>
      );
    }
    throw error;
  }
  const { diff } = result;
  const [fromNb, toNb, orphaned] = await Promise.all([neighbours(db, page.id, from), neighbours(db, page.id, to), orphanedByEdits(db, page, from, to)]);
  const href = (f: number, t: number, v = view, n = 1) => `${pagePath(page.slug, "/diff")}?from=${f}&to=${t}${v === "auto" ? "" : `&view=${v}`}${n > 1 ? `&page=${n}` : ""}`;
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return (
    <div className="diff-page">
      <PageTabs slug={page.slug} current="history" />
      <h1>
        {page.title}: difference between revisions
      </h1>
      <div className="diff-heads">
        <div>
          <Link href={`${pagePath(page.slug)}?rev=${from}`}>Revision {from}</Link> of {fmt(result.from.revision.createdAt)} by {result.from.authorName}
          {result.from.revision.summary ? <em> ({result.from.revision.summary})</em> : null}
          <br />
          {fromNb.previous ? <Link href={href(fromNb.previous, from)}>← Older edit</Link> : null}
        </div>
        <div>
          <Link href={`${pagePath(page.slug)}?rev=${to}`}>Revision {to}</Link> of {fmt(result.to.revision.createdAt)} by {result.to.authorName}
          {result.to.revision.summary ? <em> ({result.to.revision.summary})</em> : null}
          <br />
          {toNb.next ? <Link href={href(to, toNb.next)}>Newer edit →</Link> : null}
        </div>
      </div>
      <p className="diff-tools">
        View:{" "}
        <Link href={href(from, to, "auto", diff.page)} aria-current={view === "auto" ? "true" : undefined}>
          automatic
        </Link>{" "}
        (side by side, inline on narrow screens) ·{" "}
        <Link href={href(from, to, "side", diff.page)} aria-current={view === "side" ? "true" : undefined}>
          side by side
        </Link>{" "}
        ·{" "}
        <Link href={href(from, to, "inline", diff.page)} aria-current={view === "inline" ? "true" : undefined}>
          inline
        </Link>{" "}
        · {/* A plain link: the client router would prefetch it as a page, and the API answers that with a 400. */}
        <a href={`/api/pages/${encodeURIComponent(page.slug)}/diff?from=${from}&to=${to}${diff.page > 1 ? `&page=${diff.page}` : ""}`} type="application/json">JSON</a>
      </p>
      {orphaned.length > 0 ? (
        <section aria-labelledby="orphaned-heading" className="diff-orphaned" role="note">
          <h2 id="orphaned-heading">{orphaned.length === 1 ? "This change removed a discussed passage" : "This change removed discussed passages"}</h2>
          <ul>
            {orphaned.map((o) => (
              <li key={o.threadId}>
                <Link href={pagePath(page.slug, `/talk/${o.threadId}`)}>{o.threadTitle}</Link> was about “{shortQuote(o.quote)}”
                {o.lostAtRevisionId !== to ? <> (gone in revision {o.lostAtRevisionId})</> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {diff.fields.length > 0 ? (
        <section aria-labelledby="fields-heading" className="diff-fields">
          <h2 id="fields-heading">Structured fields</h2>
          <ul>
            {diff.fields.map((f) => (
              <li key={f.field}>
                <strong>{f.label} changed</strong>: <del>{JSON.stringify(f.before)}</del> → <ins>{JSON.stringify(f.after)}</ins>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {diff.coarse ? (
        <p className="callout callout-warning" role="note">
          This change is too large to compare line by line quickly, so it is shown paragraph by paragraph. ({diff.coarse.reason})
        </p>
      ) : null}
      {diff.identical ? <p>The two revisions have the same text.</p> : null}
      <p className="hint">
        {diff.stats.added} lines added, {diff.stats.removed} removed, {diff.stats.changed} changed, {diff.stats.moved} moved
        {diff.stats.rewrapped > 0 ? `; ${diff.stats.rewrapped} ${diff.stats.rewrapped === 1 ? "paragraph" : "paragraphs"} re-wrapped (same words, new line breaks)` : ""}.
      </p>
      {diff.truncatedRows > 0 || diff.unhighlightedRows > 0 ? (
        <p className="hint">
          {diff.truncatedRows > 0 ? `${diff.truncatedRows.toLocaleString("en")} long lines are truncated. ` : null}
          {diff.unhighlightedRows > 0 ? `${diff.unhighlightedRows.toLocaleString("en")} lines with very many changes are shown without word highlights.` : null}
        </p>
      ) : null}
      <DiffHunks diff={diff} view={view} pageHref={(n) => href(from, to, view, n)} />
    </div>
  );
}
