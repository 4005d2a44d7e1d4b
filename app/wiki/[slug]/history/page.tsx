import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { listHistory } from "@/lib/wiki/revision-store";
import { revisionNumber } from "@/lib/wiki/revision-number";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { ActionButton } from "../../../_components/action-button";
import { PageTabs } from "../page-tabs";
import { hideFileAction, revertAction, rollbackAction, showFileAction, undoAction } from "./actions";
import { uploadsOfRevisions } from "@/lib/wiki/file-info";
import { mediaPath } from "@/lib/media/file-types";
import { parseId } from "@/lib/ids";
import { followRename } from "../renamed";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };


const idParam = (v: unknown) => parseId(v) ?? undefined;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const title = titleFromSegment((await params).slug);
  return { title: title ? `History of ${title.title}` : "History" };
}

function changeNote(change: { type: string; [k: string]: unknown } | null): string | null {
  if (!change) return null;
  switch (change.type) {
    case "revert":
      return `revert to r${change.toRevisionId}`;
    case "undo":
      return `undo of r${change.undidRevisionId}`;
    case "rollback":
      return `rollback to r${change.toRevisionId}`;
    case "merge":
      return `merged with r${change.mergedWithRevisionId}`;
    case "carry":
      return "carried from discussion";
    case "import":
      return "import";
    default:
      return null;
  }
}

export default async function HistoryPage({ params, searchParams }: Props) {
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  if (!title.canonical) permanentRedirect(pagePath(title.slug, "/history"));
  const query = await searchParams;
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (page?.redirectToPageId) await followRename(db, title.slug, "/history", query);
  if (!page) notFound();
  const [actor, history] = await Promise.all([currentActor(), listHistory(db, page.id, { before: idParam(query.before), after: idParam(query.after), limit: 50 })]);
  const subject = { page: { protection: page.protection, deleted: false } };
  const mayEdit = can(actor, "edit", subject);
  const mayModerate = can(actor, "moderate");
  const rows = history.rows;
  // The history is one chain in id order: the newest row's number within the page, then one less per row.
  const [firstNumber, uploads] = await Promise.all([
    rows[0] ? revisionNumber(db, page.id, rows[0].id) : 0,
    page.kind === "file" ? uploadsOfRevisions(db, rows.map((r) => r.id)) : new Map<number, { sha256: string; hidden: boolean }>(),
  ]);
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return (
    <div className="history-page">
      <PageTabs slug={page.slug} current="history" />
      <h1>History of {page.title}</h1>
      <div className="hint">
        Newest first. Choose two revisions to compare them. <Link href={pagePath(page.slug, "/blame")}>Who wrote what</Link> ·{" "}
        <a href={`/feeds/history/${encodeURIComponent(page.slug)}`} type="application/atom+xml">Atom feed</a>
        {mayModerate ? (
          <>
            {" "}
            · <ActionButton action={rollbackAction} fields={{ slug: page.slug }} label="Roll back the last author's edits" confirm="Roll back all consecutive latest edits by the last author?" />
          </>
        ) : null}
      </div>
      {/* The radios belong to this form through their form attribute, so row actions can be forms of their own. */}
      <form id="compare-revisions" action={pagePath(page.slug, "/diff")} method="get" className="history-form">
        <button type="submit">Compare selected revisions</button>
      </form>
      <ol className="history">
          {rows.map((r, i) => {
            const note = changeNote(r.change as never);
            return (
              <li key={r.id} data-revision={r.id}>
                <span className="history-radios">
                  <input type="radio" form="compare-revisions" name="from" value={r.id} defaultChecked={i === 1} aria-label={`Compare from revision ${firstNumber - i}`} />
                  <input type="radio" form="compare-revisions" name="to" value={r.id} defaultChecked={i === 0} aria-label={`Compare to revision ${firstNumber - i}`} />
                </span>{" "}
                <span className="history-number" title={`Revision ${firstNumber - i} of this page`}>
                  #{firstNumber - i}
                </span>{" "}
                <Link href={`${pagePath(page.slug)}?rev=${r.id}`}>
                  <time dateTime={r.createdAt.toISOString()}>{fmt(r.createdAt)}</time>
                </Link>{" "}
                {r.parentId ? (
                  <Link href={`${pagePath(page.slug, "/diff")}?from=${r.parentId}&to=${r.id}`} className="history-prev">
                    prev
                  </Link>
                ) : (
                  <span className="history-prev">prev</span>
                )}{" "}
                · <span className="history-author">{r.authorIsSystem ? r.authorName : <Link href={`/users/${encodeURIComponent(r.authorName)}`}>{r.authorName}</Link>}</span>{" "}
                {r.isMinor ? <abbr title="minor edit" className="minor">m</abbr> : null} <span className="history-size">({r.length.toLocaleString("en")} bytes)</span>{" "}
                <span className={r.delta > 0 ? "delta plus" : r.delta < 0 ? "delta minus" : "delta"}>
                  ({r.delta > 0 ? "+" : ""}
                  {r.delta.toLocaleString("en")})
                </span>{" "}
                {r.summary ? <em className="history-summary">{r.summary}</em> : null} {note ? <span className="badge">{note}</span> : null}
                {uploads.get(r.id)?.hidden ? <span className="badge file-hidden">file hidden by a moderator</span> : null}
                {mayModerate && uploads.get(r.id)?.hidden ? <a href={mediaPath(uploads.get(r.id)!.sha256, page.title)}>see the hidden file</a> : null}
                {mayModerate && uploads.has(r.id) ? (
                  <div className="history-actions">
                    {uploads.get(r.id)?.hidden ? (
                      <ActionButton action={showFileAction} fields={{ revisionId: r.id }} label={`Show the file of revision ${firstNumber - i} again`} confirm="Show this file again? Its address will serve it to everyone." />
                    ) : (
                      <ActionButton action={hideFileAction} fields={{ revisionId: r.id }} label={`Hide the file of revision ${firstNumber - i}`} confirm="Hide this file? Its address will answer 404 for everyone, under any name; the revision stays in the history." />
                    )}
                  </div>
                ) : null}
                {mayEdit && r.id !== page.latestRevisionId ? (
                  <div className="history-actions">
                    <ActionButton action={revertAction} fields={{ slug: page.slug, revisionId: r.id }} label="restore" />
                    {r.parentId ? <ActionButton action={undoAction} fields={{ slug: page.slug, revisionId: r.id }} label="undo" /> : null}
                  </div>
                ) : null}
              </li>
            );
          })}
      </ol>
      <nav aria-label="History pages" className="pager">
        {history.hasNewer && rows[0] ? <Link href={`${pagePath(page.slug, "/history")}?after=${rows[0].id}`}>← Newer</Link> : null}{" "}
        {history.hasOlder && rows.at(-1) ? <Link href={`${pagePath(page.slug, "/history")}?before=${rows.at(-1)!.id}`}>Older →</Link> : null}
      </nav>
    </div>
  );
}
