import type { Metadata } from "next";
import { Lock } from "lucide-react";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { kindSpecs } from "@/lib/wiki/page-kinds";
import { ComparisonBlock } from "../../_components/comparison-block";
import { getPageView } from "@/lib/wiki/page-view";
import { pagePath, titleFromSegment, tryParseTitle } from "@/lib/wiki/title";
import { ArticleBody } from "./article-body";
import { leaveArticleHtml } from "./article-body-handoff";
import { CopyLinkButton } from "./copy-link-button";
import { PageTabs } from "./page-tabs";
import { RateForm } from "./rate-form";
import { parseId } from "@/lib/ids";
import { isClientNavigation } from "@/lib/http/client-navigation";
import { followRename } from "./renamed";
import { PassageMarks, type PagePassage } from "./passage-marks";
import { shortQuote } from "./passage-text";
import { FileDetails } from "./file-details";
import { askedNotice } from "./save-notice";
import { SaveNoticeBanner } from "./save-notice-banner";
import { getUserById } from "@/lib/users/accounts";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const title = titleFromSegment((await params).slug);
  return { title: title ? title.title : "Bad title" };
}

export default async function WikiPage({ params, searchParams }: Props) {
  await connection();
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  const slug = title.slug;
  const query = await searchParams;
  const revParam = typeof query.rev === "string" ? query.rev : undefined;
  if (!title.canonical) permanentRedirect(pagePath(slug) + (revParam ? `?rev=${encodeURIComponent(revParam)}` : ""));
  let revisionId: number | undefined;
  if (revParam !== undefined) {
    const id = parseId(revParam);
    if (id === null) notFound();
    revisionId = id;
  }

  const db = getDb();
  const view = await getPageView(db, slug, revisionId);
  if (!view) {
    // Only a page without a view can be a redirect left by a rename: look it up off the hot path.
    await followRename(db, slug, "", { ...(revParam ? { rev: revParam } : {}), redirectedfrom: slug });
    notFound();
  }
  const redirectedFrom = typeof query.redirectedfrom === "string" ? tryParseTitle(query.redirectedfrom)?.title : undefined;
  const { page, revision, revisionNumber, fields, rendered, backlinks, contributors, isLatest, rating, threadCount, anchors, unmarkedAnchors } = view;
  // Only what the panel and the marks need goes to the browser, which marks the passages in the body it already has.
  const passages: PagePassage[] = anchors.map((a) => ({
    threadId: a.threadId,
    title: a.threadTitle,
    quote: shortQuote(a.quote),
    status: a.anchorStatus,
    confidence: a.confidence,
    lostAt: a.lostAtRevisionId,
    ...(a.unplaced ? { unplaced: true } : {}),
    ...(a.anchorStatus === "orphaned" ? {} : { start: a.target.selector[1].start, end: a.target.selector[1].end }),
  }));
  const permalink = `${pagePath(page.slug)}?rev=${revision.id}`;
  // A client-side navigation (an RSC request) renders no HTML, so nothing would take the body: leave none.
  const navigation = await isClientNavigation();
  // Only the author, just after saving, is told their save landed; the browser decides (save-notice.ts).
  const asked = askedNotice(query);
  const authorName = asked && revision.authorId ? ((await getUserById(db, revision.authorId))?.name ?? null) : null;
  return (
    <article className="wiki-page" data-kind={fields.kind}>
      <PageTabs slug={page.slug} current="page" threads={threadCount} permalink={permalink} />
      <header className="page-header">
        <p className="page-kind">{kindSpecs[fields.kind].label}</p>
        <h1>{page.title}</h1>
        <p className="page-summary">{fields.summary}</p>
        {redirectedFrom ? <p className="hint">(Redirected from {redirectedFrom})</p> : null}
        {asked ? (
          <SaveNoticeBanner asked={asked} authorName={authorName} isLatest={isLatest} revisionNumber={revisionNumber} savedAt={revision.createdAt.getTime()} />
        ) : null}
        {page.protection === "moderators" ? (
          <p className="hint">
            <Lock aria-hidden="true" size={16} /> This page is protected: only moderators may edit it.
          </p>
        ) : null}
        {!isLatest ? (
          <p className="old-revision" role="status">
            You are reading an old revision of this page (revision {revisionNumber}, {formatDate(revision.createdAt)}).{" "}
            <Link href={pagePath(page.slug)}>Read the current version</Link>.
          </p>
        ) : null}
        {!isLatest && rendered.ok && threadCount > 0 ? (
          <p className="hint">
            Only discussions started on this revision have their passages marked here, as they were chosen. Every discussed passage is marked
            where it is now on <Link href={pagePath(page.slug)}>the current version</Link>.
          </p>
        ) : null}
      </header>

      {fields.kind === "difference" ? <ComparisonBlock dimension={fields.dimension} tkm={fields.tkm} sl={fields.sl} anchorable={rendered.ok} /> : null}
      {fields.kind === "file" ? (
        <FileDetails pageId={page.id} slug={page.slug} title={page.title} sha256={fields.file} licence={fields.licence} source={fields.source} backlinks={backlinks} />
      ) : null}

      <div className="page-layout">
        {rendered.ok && rendered.toc.length >= 3 ? (
          <nav aria-labelledby="toc-heading" className="toc">
            <h2 id="toc-heading">Contents</h2>
            <ol>
              {rendered.toc.map((entry) => (
                <li key={entry.id} className={`toc-depth-${entry.depth}`}>
                  <a href={`#${entry.id}`}>{entry.text}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {rendered.ok ? (
          // HTML produced by our own components from allowlist-validated MDX (see docs/security.md),
          // sent once: in the HTML, not again in the RSC payload (article-body.tsx).
          <ArticleBody handoff={navigation ? "" : leaveArticleHtml(rendered.html)} source={permalink} revision={revision.id} />
        ) : (
          // A passing failure (timeout) is kept out of the page cache, so the next reader gets another try.
          <div className="render-error" role="alert" data-page-cache={rendered.transient ? "no-store" : undefined}>
            {rendered.transient ? (
              <p>
                <strong>This revision could not be displayed just now.</strong> Rendering it failed or took too long; reload the page to try
                again. The source is shown below as text.
              </p>
            ) : (
              <p>
                <strong>This revision cannot be displayed.</strong> It does not pass the page checks, so it was not run. The source is shown
                below as text.
              </p>
            )}
            <pre className="render-error-message">{rendered.message}</pre>
            <pre className="render-error-source">{rendered.source}</pre>
          </div>
        )}
        {/* The panel of discussed passages and their marks; discussing a new one on the latest revision only (where passages are followed). */}
        {rendered.ok ? <PassageMarks slug={page.slug} revision={revision.id} threads={passages} unmarked={unmarkedAnchors} discuss={isLatest} /> : null}
      </div>

      <footer className="page-footer" id="page-information">
        {fields.sources.length > 0 ? (
          <section aria-labelledby="sources-heading">
            <h2 id="sources-heading">Sources</h2>
            <ul>
              {fields.sources.map((source, i) => (
                <li key={i}>
                  {typeof source === "string" ? (
                    <Link href={pagePath(source.replace(/ /g, "_"))}>{source}</Link>
                  ) : (
                    <>
                      {source.author ? `${source.author}, ` : ""}
                      <cite>{source.title}</cite>
                      {source.year ? ` (${source.year})` : ""}
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {fields.tags.length > 0 ? (
          <section aria-labelledby="tags-heading">
            <h2 id="tags-heading">Tags</h2>
            <ul className="tag-list">
              {fields.tags.map((tag) => (
                <li key={tag}>
                  <Link className="tag" href={`/tags/${encodeURIComponent(tag)}`}>
                    {tag}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="backlinks-heading">
          <h2 id="backlinks-heading">What links here</h2>
          {backlinks.length > 0 ? (
            <ul className="backlinks">
              {backlinks.map((b) => (
                <li key={b.slug}>
                  <Link href={pagePath(b.slug)}>{b.title}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>No other page links here yet.</p>
          )}
        </section>
        <section aria-labelledby="contributors-heading">
          <h2 id="contributors-heading">Contributors</h2>
          <ul className="contributors">
            {contributors.map((c) => (
              <li key={c.name}>
                {c.isSystem ? c.name : <Link href={`/users/${encodeURIComponent(c.name)}`}>{c.name}</Link>} ({c.edits}{" "}
                {c.edits === 1 ? "edit" : "edits"})
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="rating-heading">
          <h2 id="rating-heading">Rating</h2>
          <p className="rating">
            {rating.count > 0 ? (
              <>
                <span aria-hidden="true">{"★".repeat(Math.round(rating.average ?? 0)).padEnd(5, "☆")}</span> {rating.average} out of 5 from{" "}
                {rating.count} {rating.count === 1 ? "reader" : "readers"}
              </>
            ) : (
              "Not rated yet."
            )}
          </p>
          {isLatest ? <RateForm slug={page.slug} /> : null}
        </section>
        <p className="permalink">
          Revision {revisionNumber} of this page, {formatDate(revision.createdAt)}. <Link href={permalink}>Permanent link</Link>{" "}
          <CopyLinkButton path={permalink} />
        </p>
      </footer>
    </article>
  );
}

function formatDate(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
