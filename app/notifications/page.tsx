import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listNotifications } from "@/lib/talk/notifications";
import { pagePath } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const actor = await currentActor();
  if (!actor || actor.blocked) redirect("/signin?callbackUrl=/notifications");
  const items = await listNotifications(getDb(), actor.id);
  return (
    <>
      <h1>Notifications</h1>
      <p className="hint">Edits of pages you watch, replies in discussions you follow (you follow the threads you post in), posts that mention you as @{actor.name.replace(/ /g, "_")}, and (for moderators) posts waiting for moderation. How they also come by mail is yours to <Link href="/profile#mail">choose</Link>.</p>
      {items.length === 0 ? <p>Nothing yet.</p> : null}
      <ol className="changes notifications">
        {items.map((n) => (
          <li key={n.id} className={n.unread ? "unseen" : undefined}>
            {n.unread ? <span className="badge">new</span> : null} <time dateTime={n.createdAt.toISOString()}>{n.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time>{" "}
            {n.kind === "edit" ? (
              <>
                {n.by} edited{" "}
                <Link href={n.parentId === null ? `${pagePath(n.slug)}?rev=${n.revisionId}` : `${pagePath(n.slug, "/diff")}?from=${n.parentId}&to=${n.revisionId}`}>{n.pageTitle}</Link>
                {n.summary ? <> ({n.summary})</> : null}
              </>
            ) : n.kind === "held" ? (
              <>
                A post by {n.by} waits for moderation in{" "}
                <Link href="/moderation">
                  {n.pageTitle}: {n.threadTitle}
                </Link>
              </>
            ) : (
              <>
                {n.by} {n.kind === "mention" ? "mentioned you in" : "replied in"}{" "}
                <Link href={`${pagePath(n.slug, `/talk/${n.threadId}`)}#post-${n.postId}`}>
                  {n.pageTitle}: {n.threadTitle}
                </Link>
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
