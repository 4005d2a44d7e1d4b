import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { listMentions, listThreads } from "@/lib/talk/talk-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { PageTabs } from "../page-tabs";
import { currentActor } from "@/lib/auth/session";
import { talkViewer } from "@/lib/talk/viewer";
import { isSubscribed } from "@/lib/talk/notifications";
import { FollowButton } from "./follow-button";
import { NewThreadForm } from "./talk-forms";
import { TalkThread } from "./talk-thread";
import { followRename } from "../renamed";
import { currentPageAnchors, quotesOf } from "@/lib/wiki/anchor-store";

type Props = { params: Promise<{ slug: string }> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const title = titleFromSegment((await params).slug);
  return { title: title ? `Discussion: ${title.title}` : "Discussion" };
}

export default async function TalkPage({ params }: Props) {
  await connection();
  const title = titleFromSegment((await params).slug);
  if (!title) notFound();
  if (!title.canonical) permanentRedirect(pagePath(title.slug, "/talk"));
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (page?.redirectToPageId) await followRename(db, title.slug, "/talk");
  if (!page) notFound();
  const actor = await currentActor();
  const viewer = await talkViewer(actor);
  const following = actor && !actor.blocked ? await isSubscribed(db, actor.id, page.id, null) : null;
  const [threads, pageMentions, anchors] = await Promise.all([listThreads(db, page.id, viewer), listMentions(db, page.id), currentPageAnchors(db, page, { quotes: false })]);
  const anchorOf = new Map(anchors.map((a) => [a.threadId, a]));
  // Threads about a passage the page does not mark (held, or past its caps) still show their quote here.
  const unmarked = await quotesOf(
    db,
    threads.filter((t) => !anchorOf.has(t.id)).map((t) => t.id),
  );
  return (
    <div className="talk-page">
      <PageTabs slug={page.slug} current="talk" threads={threads.length} />
      <h1>Discussion: {page.title}</h1>
      <p className="talk-intro">
        Talk about improving <Link href={pagePath(page.slug)}>{page.title}</Link>: evidence, disagreements, examples. Good ideas here can be
        carried into the page. <a href={`/feeds/talk/${encodeURIComponent(page.slug)}`} type="application/atom+xml">Atom feed</a>
      </p>
      {following ? <FollowButton slug={page.slug} following={following.page} label="this talk page" /> : null}
      {threads.length === 0 ? <p>No discussion yet.</p> : null}
      {threads.map((thread) => (
        <TalkThread key={thread.id} slug={page.slug} thread={thread} viewer={viewer} anchor={anchorOf.get(thread.id)} unmarkedQuote={unmarked.get(thread.id)} />
      ))}
      <section aria-labelledby="new-thread-heading" className="new-thread">
        <h2 id="new-thread-heading">Start a new thread</h2>
        <NewThreadForm slug={page.slug} />
      </section>
      {pageMentions.length > 0 ? (
        <section aria-labelledby="mentions-heading" className="mentions">
          <h2 id="mentions-heading">Mentioned elsewhere</h2>
          <ul>
            {pageMentions.map((m) => (
              <li key={m.id}>
                Mentioned by{" "}
                {m.sourceUrl ? (
                  <a href={m.sourceUrl} rel="nofollow ugc noopener">
                    {m.sourceTitle}
                  </a>
                ) : (
                  <cite>{m.sourceTitle}</cite>
                )}{" "}
                <span className="badge">{m.kind}</span>
                {m.excerpt ? <blockquote className="mention-excerpt">{m.excerpt}</blockquote> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
