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
      <p className="hint">Replies in discussions you follow (you follow the threads you post in), and posts that mention you as @{actor.name.replace(/ /g, "_")}.</p>
      {items.length === 0 ? <p>Nothing yet.</p> : null}
      <ol className="changes notifications">
        {items.map((n) => (
          <li key={n.id} className={n.unread ? "unseen" : undefined}>
            {n.unread ? <span className="badge">new</span> : null} <time dateTime={n.createdAt.toISOString()}>{n.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time>{" "}
            {n.by} {n.kind === "mention" ? "mentioned you in" : "replied in"}{" "}
            <Link href={`${pagePath(n.slug, `/talk/${n.threadId}`)}#post-${n.postId}`}>
              {n.pageTitle}: {n.threadTitle}
            </Link>
          </li>
        ))}
      </ol>
    </>
  );
}
