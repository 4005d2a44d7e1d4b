import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { countThreads, getThread } from "@/lib/talk/talk-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { PageTabs } from "../../page-tabs";
import { currentActor } from "@/lib/auth/session";
import { talkViewer } from "@/lib/talk/viewer";
import { isSubscribed } from "@/lib/talk/notifications";
import { FollowButton } from "../follow-button";
import { TalkThread } from "../talk-thread";
import { currentPageAnchors, quotesOf } from "@/lib/wiki/anchor-store";
import { parseId } from "@/lib/ids";

type Props = { params: Promise<{ slug: string; thread: string }> };

export const metadata: Metadata = { title: "Discussion thread" };

export default async function ThreadPage({ params }: Props) {
  await connection();
  const { slug: rawSlug, thread: rawThread } = await params;
  const title = titleFromSegment(rawSlug);
  if (!title || parseId(rawThread) === null) notFound();
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (!page) notFound();
  const actor = await currentActor();
  const viewer = await talkViewer(actor);
  const [thread, threads, anchors] = await Promise.all([getThread(db, page.id, Number(rawThread), viewer), countThreads(db, page.id), currentPageAnchors(db, page, { quotes: false })]);
  if (!thread) notFound();
  const anchor = anchors.find((a) => a.threadId === thread.id);
  const unmarked = anchor ? undefined : (await quotesOf(db, [thread.id])).get(thread.id);
  return (
    <div className="talk-page">
      <PageTabs slug={page.slug} current="talk" threads={threads} />
      <p>
        <Link href={pagePath(page.slug, "/talk")}>← All discussion of {page.title}</Link>
      </p>
      <TalkThread slug={page.slug} thread={thread} headingLevel={1} viewer={viewer} anchor={anchor} unmarkedQuote={unmarked} />
      {actor && !actor.blocked ? (
        <FollowButton slug={page.slug} threadId={thread.id} following={(await isSubscribed(db, actor.id, page.id, thread.id)).thread} label="this thread" />
      ) : null}
    </div>
  );
}
