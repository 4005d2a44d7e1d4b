import Link from "next/link";
import type { PostView, ThreadView } from "@/lib/talk/talk-store";
import { pagePath } from "@/lib/wiki/title";
import { ActionButton } from "../../../_components/action-button";
import { threadStatusAction } from "./actions";
import { EditPostForm } from "./post-tools";
import { ReplyForm } from "./talk-forms";
import { MAX_ANCHORS_PER_AUTHOR, MAX_ANCHORS_PER_PAGE, type ResolvedAnchor } from "@/lib/wiki/anchor-store";
import { anchorStatusText, shortQuote } from "../passage-text";

type Node = PostView & { replies: Node[] };

function toTree(posts: PostView[]): Node[] {
  const nodes = new Map<number, Node>(posts.map((p) => [p.id, { ...p, replies: [] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId !== null ? nodes.get(node.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

const MAX_INDENT = 6;

function Post({ node, depth, slug, threadId, viewerId }: { node: Node; depth: number; slug: string; threadId: number; viewerId?: string }) {
  return (
    <li className="talk-post" id={`post-${node.id}`} data-depth={Math.min(depth, MAX_INDENT)}>
      <article aria-labelledby={`post-${node.id}-by`}>
        <header className="talk-post-header">
          <span id={`post-${node.id}-by`} className="talk-author">
            {node.isGuest && node.guestUrl ? (
              <a href={node.guestUrl} rel="nofollow ugc noopener">
                {node.authorName}
              </a>
            ) : (
              node.authorName
            )}
          </span>{" "}
          {node.isGuest ? <span className="badge">guest</span> : null}{" "}
          <a href={`#post-${node.id}`} className="talk-permalink">
            {node.importedFrom ? (
              // Imported comments carry no date in their source; the time they were imported is not theirs.
              "date not recorded"
            ) : (
              <time dateTime={node.createdAt.toISOString()}>{node.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
            )}
          </a>
          {node.importedFrom ? <span className="talk-imported"> · {node.importedFrom}</span> : null}
          {node.editedAt ? <span className="talk-imported"> · edited {node.editedAt.toISOString().slice(0, 16).replace("T", " ")}</span> : null}
          {node.status === "held" ? <span className="badge held">held for moderation</span> : null}
        </header>
        {node.status === "held" && node.reasons.length > 0 ? <p className="hint held-reasons">Why: {node.reasons.join("; ")}</p> : null}
        {/* body_html is produced on the server from escaped or sanitised input (lib/talk). */}
        <div className="talk-body" dangerouslySetInnerHTML={{ __html: node.bodyHtml }} />
        {node.history.length > 0 ? (
          <details className="post-history">
            <summary>Earlier versions ({node.history.length})</summary>
            {node.history.map((h, i) => (
              // Sanitised on the way out of the database (talk-store).
              <div key={i} className="talk-body earlier" dangerouslySetInnerHTML={{ __html: h.bodyHtml }} />
            ))}
          </details>
        ) : null}
        <footer className="talk-post-tools">
          {viewerId && node.authorId === viewerId ? <EditPostForm slug={slug} postId={node.id} source={node.bodySource} /> : null}
          {node.status === "visible" ? <ReplyForm slug={slug} threadId={threadId} parentPostId={node.id} /> : null}
          {node.carriedRevisionId ? (
            <Link href={`${pagePath(slug)}?rev=${node.carriedRevisionId}`} className="badge carried">
              carried into revision {node.carriedRevisionId}
            </Link>
          ) : node.status === "visible" ? (
            <Link href={`${pagePath(slug, "/edit")}?carry=${node.id}`} className="carry-link">
              Carry into page
            </Link>
          ) : null}
        </footer>
      </article>
      {node.replies.length > 0 ? (
        <ol className={depth + 1 < MAX_INDENT ? "talk-replies" : "talk-replies talk-replies-flat"}>
          {node.replies.map((r) => (
            <Post key={r.id} node={r} depth={depth + 1} slug={slug} threadId={threadId} viewerId={viewerId} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** A thread with its posts nested by reply; deep replies stop indenting. */
export function TalkThread({
  slug,
  thread,
  headingLevel = 2,
  viewer,
  anchor,
  unmarkedQuote,
}: {
  slug: string;
  thread: ThreadView;
  headingLevel?: 2 | 1;
  viewer?: { userId?: string; moderator?: boolean };
  /** The passage the thread is about, when it is about one. */
  anchor?: ResolvedAnchor;
  /** The quote of a thread about a passage the page does not mark (held, or past the page's caps). */
  unmarkedQuote?: string;
}) {
  const mayChangeStatus = viewer?.moderator || (viewer?.userId !== undefined && thread.createdBy === viewer.userId);
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section className="talk-thread" aria-labelledby={`thread-${thread.id}`}>
      <Heading id={`thread-${thread.id}`} className="talk-thread-title">
        {headingLevel === 2 ? <Link href={pagePath(slug, `/talk/${thread.id}`)}>{thread.title}</Link> : thread.title}
        {thread.status !== "open" ? <span className="badge"> {thread.status}</span> : null}
      </Heading>
      {anchor ? (
        <figure className="thread-passage" data-anchor-status={anchor.anchorStatus}>
          <blockquote className="passage-quote">{shortQuote(anchor.quote, 600)}</blockquote>
          <figcaption className="hint">
            About this passage, {anchorStatusText(anchor)}.{" "}
            {anchor.anchorStatus === "orphaned" ? (
              <>
                {/* An orphan's target is where it began: that revision marks it. */}
                <Link href={`${pagePath(slug)}?rev=${anchor.target.revisionId}#passage-${thread.id}`}>See it where it began</Link>
                {anchor.lostAtRevisionId ? (
                  <>
                    {" · "}
                    <Link href={`${pagePath(slug, "/diff")}?to=${anchor.lostAtRevisionId}`}>The edit that removed it</Link>
                  </>
                ) : null}
              </>
            ) : (
              <Link href={`${pagePath(slug)}#passage-${thread.id}`}>Go to the passage</Link>
            )}
          </figcaption>
        </figure>
      ) : unmarkedQuote !== undefined ? (
        <figure className="thread-passage" data-anchor-status="unmarked">
          <blockquote className="passage-quote">{shortQuote(unmarkedQuote, 600)}</blockquote>
          <figcaption className="hint">
            About this passage, which the page does not mark: it marks at most {MAX_ANCHORS_PER_PAGE} discussed passages, at most{" "}
            {MAX_ANCHORS_PER_AUTHOR} of them from one author&apos;s threads, and none of a thread waiting for a moderator.
          </figcaption>
        </figure>
      ) : null}
      <ol className="talk-posts">
        {toTree(thread.posts).map((node) => (
          <Post key={node.id} node={node} depth={0} slug={slug} threadId={thread.id} viewerId={viewer?.userId} />
        ))}
      </ol>
      {thread.status !== "archived" ? <ReplyForm slug={slug} threadId={thread.id} /> : null}
      {mayChangeStatus ? (
        <div className="thread-status-tools">
          {thread.status === "open" ? (
            <ActionButton action={threadStatusAction} fields={{ slug, threadId: thread.id, status: "resolved" }} label="Mark resolved" />
          ) : (
            <ActionButton action={threadStatusAction} fields={{ slug, threadId: thread.id, status: "open" }} label="Reopen" />
          )}
          {viewer?.moderator && thread.status !== "archived" ? <ActionButton action={threadStatusAction} fields={{ slug, threadId: thread.id, status: "archived" }} label="Archive" /> : null}
        </div>
      ) : null}
    </section>
  );
}
