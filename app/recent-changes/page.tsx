import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db";
import { stripTextFaults } from "@/lib/text";
import { asPageKind, pageKinds } from "@/lib/wiki/page-kinds";
import { cursorOf, formatCursor, listRecentChanges, parseCursor } from "@/lib/wiki/recent-changes";
import { pagePath } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "Recent changes" };

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RecentChangesPage({ searchParams }: Props) {
  const q = await searchParams;
  const hideMinor = q.hideminor === "1";
  // A name never holds control characters, and PostgreSQL refuses NUL in text: they are dropped from the filter.
  const user = typeof q.user === "string" && q.user.length <= 100 ? stripTextFaults(q.user).trim() || undefined : undefined;
  const kind = asPageKind(q.kind);
  const hideTalk = q.hidetalk === "1";
  // Keyset pages: ?older=<cursor> (the next page, further back) or ?newer=<cursor> (the previous one).
  const older = parseCursor(q.older);
  const newer = older ? null : parseCursor(q.newer);
  const cursor = older ? { position: older, direction: "older" as const } : newer ? { position: newer, direction: "newer" as const } : undefined;
  const fetched = await listRecentChanges(getDb(), { hideMinor, user, kind, limit: PAGE_SIZE + 1, types: hideTalk ? ["edit", "log"] : undefined, cursor });
  // One entry more than shown says whether there is another page in the direction read.
  const more = fetched.length > PAGE_SIZE;
  const entries = newer ? fetched.slice(-PAGE_SIZE) : fetched.slice(0, PAGE_SIZE);
  const first = entries[0];
  const last = entries.at(-1);
  const pageHref = (name: "older" | "newer", position: string) => {
    const params = new URLSearchParams();
    if (hideMinor) params.set("hideminor", "1");
    if (hideTalk) params.set("hidetalk", "1");
    if (user) params.set("user", user);
    if (kind) params.set("kind", kind);
    params.set(name, position);
    return `/recent-changes?${params.toString()}`;
  };
  const newerLink = first && (older || (newer && more)) ? pageHref("newer", formatCursor(cursorOf(first))) : null;
  const olderLink = last && (newer || more) ? pageHref("older", formatCursor(cursorOf(last))) : null;
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return (
    <>
      <h1>Recent changes</h1>
      <form method="get" className="filters" aria-label="Filter recent changes">
        <label className="checkbox">
          <input type="checkbox" name="hideminor" value="1" defaultChecked={hideMinor} /> Hide minor edits
        </label>
        <label className="checkbox">
          <input type="checkbox" name="hidetalk" value="1" defaultChecked={hideTalk} /> Hide discussion
        </label>
        <label>
          User <input name="user" defaultValue={user ?? ""} maxLength={100} />
        </label>
        <label>
          Kind{" "}
          <select name="kind" defaultValue={kind ?? ""}>
            <option value="">all</option>
            {pageKinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button> <a href="/feeds/recent-changes" type="application/atom+xml">Atom feed</a>
      </form>
      {entries.length === 0 ? <p>No changes match.</p> : null}
      <ol className="changes">
        {entries.map((e) =>
          e.type === "edit" ? (
            <li key={`r${e.revisionId}`} data-revision={e.revisionId}>
              <time dateTime={e.at.toISOString()}>{fmt(e.at)}</time>{" "}
              {e.parentId ? <Link href={`${pagePath(e.slug, "/diff")}?from=${e.parentId}&to=${e.revisionId}`}>diff</Link> : <span className="badge">new</span>}{" "}
              · <Link href={pagePath(e.slug)}>{e.title}</Link> {e.isMinor ? <abbr title="minor edit" className="minor">m</abbr> : null}{" "}
              <span className={e.delta > 0 ? "delta plus" : e.delta < 0 ? "delta minus" : "delta"}>
                ({e.delta > 0 ? "+" : ""}
                {e.delta})
              </span>{" "}
              · {e.authorIsSystem ? e.author : <Link href={`/users/${encodeURIComponent(e.author)}`}>{e.author}</Link>}{" "}
              {e.summary ? <em>({e.summary})</em> : null}
            </li>
          ) : e.type === "talk" ? (
            <li key={`t${e.postId}`}>
              <time dateTime={e.at.toISOString()}>{fmt(e.at)}</time> <span className="badge">talk</span> {e.author} {e.isReply ? "replied in" : "posted in"}{" "}
              <Link href={`${pagePath(e.slug, `/talk/${e.threadId}`)}#post-${e.postId}`}>
                {e.title}: {e.threadTitle}
              </Link>
            </li>
          ) : (
            <li key={`l${e.logId}`}>
              <time dateTime={e.at.toISOString()}>{fmt(e.at)}</time> <span className="badge">{e.action}</span> {e.author} {e.action}d{" "}
              <Link href={pagePath(e.slug)}>{e.title}</Link>
              {e.reason ? <em> ({e.reason})</em> : null}
            </li>
          ),
        )}
      </ol>
      {newerLink || olderLink ? (
        <nav className="pager" aria-label="Pages of recent changes">
          {newerLink ? (
            <Link href={newerLink} rel="prev">
              ← Newer
            </Link>
          ) : null}{" "}
          {olderLink ? (
            <Link href={olderLink} rel="next">
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
