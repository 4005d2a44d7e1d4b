import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { heldMentions, listModerationLog, moderationQueue } from "@/lib/talk/moderation";
import { pagePath } from "@/lib/wiki/title";
import { ActionButton } from "../_components/action-button";
import { blockSpammerAction, moderateAction, moderateMentionAction } from "./actions";

export const metadata: Metadata = { title: "Moderation" };

export default async function ModerationPage() {
  const actor = await currentActor();
  if (!actor) redirect("/signin?callbackUrl=/moderation");
  if (!can(actor, "moderate")) {
    return (
      <>
        <h1>Moderation</h1>
        <p role="alert">Only moderators may see the moderation queue.</p>
      </>
    );
  }
  const db = getDb();
  const [queue, held, log] = await Promise.all([moderationQueue(db), heldMentions(db), listModerationLog(db, 30)]);
  return (
    <>
      <h1>Moderation</h1>
      <h2>Held posts ({queue.length})</h2>
      {queue.length === 0 ? <p>Nothing is waiting.</p> : null}
      <ol className="queue">
        {queue.map((p) => (
          <li key={p.id} data-post={p.id}>
            <p>
              <strong>{p.memberName ?? p.guestName}</strong> {p.memberName ? null : <span className="badge">guest</span>} on{" "}
              <Link href={`${pagePath(p.slug, `/talk/${p.threadId}`)}#post-${p.id}`}>
                {p.pageTitle}: {p.threadTitle}
              </Link>{" "}
              <span className="hint">score {p.spamScore?.toFixed(2)} · {p.reasons.join("; ")}</span>
            </p>
            {/* Sanitised on the server when it was posted. */}
            <div className="talk-body" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
            <div className="queue-actions">
              <ActionButton action={moderateAction} fields={{ postId: p.id, action: "approve" }} label="Approve" />
              <ActionButton action={moderateAction} fields={{ postId: p.id, action: "hide" }} label="Hide" />
              <ActionButton action={moderateAction} fields={{ postId: p.id, action: "spam" }} label="Mark spam" />
              {p.authorId ? <ActionButton action={blockSpammerAction} fields={{ userId: p.authorId }} label="Block author and hide all their posts" confirm="Block this account and hide all its posts?" /> : null}
            </div>
          </li>
        ))}
      </ol>
      <h2>Held mentions ({held.length})</h2>
      {held.length === 0 ? <p>Nothing is waiting.</p> : null}
      <ol className="queue">
        {held.map((m) => (
          <li key={m.id} data-mention={m.id}>
            <p>
              <strong>{m.sourceTitle}</strong> ({m.sourceUrl}) mentions <Link href={pagePath(m.slug)}>{m.pageTitle}</Link>
            </p>
            {m.excerpt ? <blockquote className="mention-excerpt">{m.excerpt}</blockquote> : null}
            <div className="queue-actions">
              <ActionButton action={moderateMentionAction} fields={{ mentionId: m.id, action: "approve" }} label="Approve" />
              <ActionButton action={moderateMentionAction} fields={{ mentionId: m.id, action: "hide" }} label="Hide" />
            </div>
          </li>
        ))}
      </ol>
      <h2>Log</h2>
      <ul className="changes">
        {log.map((l) => (
          <li key={l.id}>
            {l.createdAt.toISOString().slice(0, 16).replace("T", " ")} {l.actor}: {l.action}
            {l.postId ? ` post ${l.postId}` : ""}
          </li>
        ))}
      </ul>
    </>
  );
}
