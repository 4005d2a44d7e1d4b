import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { watchlistChanges } from "@/lib/wiki/watchlist";
import { pagePath } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "Watchlist" };

export default async function WatchlistPage() {
  const actor = await currentActor();
  if (!actor || actor.blocked) redirect("/signin?callbackUrl=/watchlist");
  const { pages, changes } = await watchlistChanges(getDb(), actor.id);
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return (
    <>
      <h1>Watchlist</h1>
      <p className="hint">
        Changes to the {pages} {pages === 1 ? "page" : "pages"} you watch. Pages you edit are watched automatically; new changes since your last
        visit are marked.
      </p>
      {changes.length === 0 ? <p>No changes to watched pages yet.</p> : null}
      <ol className="changes">
        {changes.map((c) => (
          <li key={c.revisionId} className={c.isNew ? "unseen" : undefined} data-revision={c.revisionId}>
            {c.isNew ? <span className="badge">new</span> : null} <time dateTime={c.at.toISOString()}>{fmt(c.at)}</time>{" "}
            {c.parentId ? <Link href={`${pagePath(c.slug, "/diff")}?from=${c.parentId}&to=${c.revisionId}`}>diff</Link> : null} ·{" "}
            <Link href={pagePath(c.slug)}>{c.title}</Link> · {c.author} {c.summary ? <em>({c.summary})</em> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
