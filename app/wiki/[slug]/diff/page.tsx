import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { DiffRow, WordPart } from "@/lib/wiki/diff";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { compareRevisions } from "@/lib/wiki/revision-diff";
import { neighbours } from "@/lib/wiki/revision-store";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { PageTabs } from "../page-tabs";
import { parseId } from "@/lib/ids";
import { followRename } from "../renamed";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Difference between revisions" };

function Parts({ parts, side }: { parts: WordPart[] | null; side: "old" | "new" }) {
  if (!parts) return null;
  return (
    <>
      {parts.map((p, i) =>
        p.type === "same" ? (
          <span key={i}>{p.text}</span>
        ) : (side === "old" && p.type === "removed") || (side === "new" && p.type === "added") ? (
          p.type === "removed" ? <del key={i}>{p.text}</del> : <ins key={i}>{p.text}</ins>
        ) : null,
      )}
    </>
  );
}

function Text({ row, side }: { row: DiffRow; side: "old" | "new" }) {
  if (row.kind === "changed") {
    const parts = side === "old" ? row.oldParts : row.newParts;
    return parts ? <Parts parts={parts} side={side} /> : <>{side === "old" ? row.oldText : row.newText}</>;
  }
  return <>{row.text}</>;
}

function rowLabel(row: DiffRow): string {
  if (row.kind === "changed") return row.whitespaceOnly ? "whitespace only" : "changed";
  if (row.kind === "added" || row.kind === "removed") return row.moveId !== undefined ? `moved (${row.moveId})` : row.kind;
  return "";
}

export default async function DiffPage({ params, searchParams }: Props) {
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  const q = await searchParams;
  const view = q.view === "inline" ? "inline" : "side";
  if (!title.canonical) permanentRedirect(`${pagePath(title.slug, "/diff")}?${new URLSearchParams(q as Record<string, string>).toString()}`);
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (page?.redirectToPageId) await followRename(db, title.slug, "/diff", q);
  if (!page) notFound();
  const id = parseId;
  let to = id(q.to) ?? page.latestRevisionId!;
  let from = id(q.from);
  const bad = (message: string) => (
    <div>
      <PageTabs slug={page.slug} current="history" />
      <h1>Difference between revisions</h1>
      <p role="alert" className="form-error">
        {message} <Link href={pagePath(page.slug, "/history")}>Go to the history</Link>.
      </p>
    </div>
  );
  if ((q.from !== undefined && from === null) || (q.to !== undefined && id(q.to) === null)) return bad("Revision ids are positive whole numbers.");
  if (from === null) from = (await neighbours(db, page.id, to)).previous;
  if (from === null) return bad("This is the first revision of the page; there is nothing earlier to compare it with.");
  if (from > to) [from, to] = [to, from];
  let result;
  try {
    result = await compareRevisions(db, page.id, from, to);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found:revision") return bad(error.message);
    throw error;
  }
  const { diff } = result;
  const [fromNb, toNb] = await Promise.all([neighbours(db, page.id, from), neighbours(db, page.id, to)]);
  const href = (f: number, t: number, v = view) => `${pagePath(page.slug, "/diff")}?from=${f}&to=${t}${v === "inline" ? "&view=inline" : ""}`;
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
        <Link href={href(from, to, "side")} aria-current={view === "side" ? "true" : undefined}>
          side by side
        </Link>{" "}
        ·{" "}
        <Link href={href(from, to, "inline")} aria-current={view === "inline" ? "true" : undefined}>
          inline
        </Link>{" "}
        · <Link href={`/api/pages/${encodeURIComponent(page.slug)}/diff?from=${from}&to=${to}`}>JSON</Link>
      </p>
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
        {diff.stats.added} lines added, {diff.stats.removed} removed, {diff.stats.changed} changed, {diff.stats.moved} moved.
      </p>
      {diff.hunks.map((hunk, h) => (
        <section key={h} className="diff-hunk" id={`hunk-${h + 1}`} aria-label={`Change ${h + 1}`}>
          <p className="diff-hunk-head">
            Line {hunk.oldStart} → {hunk.newStart}
            {h > 0 ? <a href={`#hunk-${h}`}> ↑ previous change</a> : null}
            {h + 1 < diff.hunks.length ? <a href={`#hunk-${h + 2}`}> ↓ next change</a> : null}
          </p>
          {view === "side" ? (
            <table className="diff-table side">
              <tbody>
                {hunk.rows.map((row, i) => {
                  return (
                    <tr key={i} className={`diff-${row.kind}${row.kind === "changed" && row.whitespaceOnly ? " diff-ws" : ""}${"moveId" in row && row.moveId !== undefined ? " diff-moved" : ""}`} title={rowLabel(row) || undefined}>
                      <td className="ln">{row.kind !== "added" ? row.oldLine : ""}</td>
                      <td className="old">{row.kind === "added" ? "" : <Text row={row} side="old" />}</td>
                      <td className="ln">{row.kind !== "removed" ? row.newLine : ""}</td>
                      <td className="new">{row.kind === "removed" ? "" : <Text row={row} side="new" />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <table className="diff-table inline">
              <tbody>
                {hunk.rows.flatMap((row, i) => {
                  const cls = `${"moveId" in row && row.moveId !== undefined ? " diff-moved" : ""}`;
                  if (row.kind === "context") return [<tr key={i} className="diff-context"><td className="ln">{row.oldLine}</td><td className="ln">{row.newLine}</td><td>{row.text}</td></tr>];
                  if (row.kind === "removed") return [<tr key={i} className={`diff-removed${cls}`} title={rowLabel(row)}><td className="ln">{row.oldLine}</td><td className="ln" /><td><span className="sign">−</span>{row.text}</td></tr>];
                  if (row.kind === "added") return [<tr key={i} className={`diff-added${cls}`} title={rowLabel(row)}><td className="ln" /><td className="ln">{row.newLine}</td><td><span className="sign">+</span>{row.text}</td></tr>];
                  return [
                    <tr key={`${i}o`} className={`diff-removed${row.whitespaceOnly ? " diff-ws" : ""}`}><td className="ln">{row.oldLine}</td><td className="ln" /><td><span className="sign">−</span><Text row={row} side="old" /></td></tr>,
                    <tr key={`${i}n`} className={`diff-added${row.whitespaceOnly ? " diff-ws" : ""}`}><td className="ln" /><td className="ln">{row.newLine}</td><td><span className="sign">+</span><Text row={row} side="new" /></td></tr>,
                  ];
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </div>
  );
}
