import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { blameBlocks } from "@/lib/wiki/blame";
import { MAX_BLAME_BYTES, MAX_BLAME_REVISIONS, pageBlame } from "@/lib/wiki/page-blame";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { pagePath, titleFromSegment } from "@/lib/wiki/title";
import { PageTabs } from "../page-tabs";
import { parseId } from "@/lib/ids";
import { followRename } from "../renamed";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Blocks shown on one page of blame. Credit follows authors through reverts
 * and moves, so a page rewritten many times can have a block per line: the
 * view is paged so that its rendering stays bounded (`?page=`).
 */
const BLOCKS_PER_PAGE = 300;

export const metadata: Metadata = { title: "Who wrote what" };

export default async function BlamePage({ params, searchParams }: Props) {
  const title = titleFromSegment((await params).slug);
  const q = await searchParams;
  if (!title) notFound();
  const db = getDb();
  const page = await getPageBySlug(db, title.slug);
  if (page?.redirectToPageId) await followRename(db, title.slug, "/blame");
  if (!page) notFound();
  let blamed: Awaited<ReturnType<typeof pageBlame>>;
  try {
    blamed = await pageBlame(db, page);
  } catch (error) {
    // A passing refusal (the pool is busy): marked so the page cache does not keep it.
    if (error instanceof AppError && error.code === "unavailable") {
      return (
        <div className="blame-page" data-page-cache="no-store">
          <PageTabs slug={page.slug} current="history" />
          <h1>Who wrote what: {page.title}</h1>
          <p role="alert" className="form-error">
            {error.message} <Link href={pagePath(page.slug, "/history")}>Go to the history</Link>.
          </p>
        </div>
      );
    }
    throw error;
  }
  const { lines, revisions: byId, considered, olderLeftOut } = blamed;
  const fmt = (d: Date) => d.toISOString().slice(0, 10);
  const blocks = blameBlocks(lines);
  const pageCount = Math.max(1, Math.ceil(blocks.length / BLOCKS_PER_PAGE));
  const current = Math.min(pageCount, parseId(q.page) ?? 1);
  const shown = blocks.slice((current - 1) * BLOCKS_PER_PAGE, current * BLOCKS_PER_PAGE);
  const href = (n: number) => `${pagePath(page.slug, "/blame")}${n > 1 ? `?page=${n}` : ""}`;
  const pager =
    pageCount > 1 ? (
      <nav aria-label="Pages of blame" className="diff-pages">
        <p>
          Lines {shown[0]!.startLine}–{shown[shown.length - 1]!.startLine + shown[shown.length - 1]!.lines.length - 1} of {lines.length} (page {current} of {pageCount}){" "}
          {current > 1 ? <Link href={href(current - 1)} rel="prev">← earlier lines</Link> : null}
          {current > 1 && current < pageCount ? " · " : null}
          {current < pageCount ? <Link href={href(current + 1)} rel="next">later lines →</Link> : null}
        </p>
      </nav>
    ) : null;
  return (
    <div className="blame-page">
      <PageTabs slug={page.slug} current="history" />
      <h1>Who wrote what: {page.title}</h1>
      <p className="hint">
        Each block of the current text, with the revision that wrote it (text restored by a revert, or moved, keeps its author).
        {olderLeftOut
          ? ` Only the newest ${considered} revisions are considered (at most ${MAX_BLAME_REVISIONS}, and at most ${MAX_BLAME_BYTES / 1_000_000} MB of text); older lines are credited to the oldest of those.`
          : ""}
      </p>
      {pager}
      <table className="blame">
        <tbody>
          {shown.map((block) => {
            const r = byId.get(block.revisionId);
            return (
              <tr key={`${block.revisionId}-${block.startLine}`} data-revision={block.revisionId}>
                <td className="blame-who">
                  <Link href={`${pagePath(page.slug)}?rev=${block.revisionId}`}>r{block.revisionId}</Link> {r?.authorName}
                  <br />
                  <span className="hint">{r ? fmt(r.createdAt) : ""}</span>
                </td>
                <td className="blame-text">
                  <pre>{block.lines.map((l) => l.text).join("\n")}</pre>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pager}
    </div>
  );
}
