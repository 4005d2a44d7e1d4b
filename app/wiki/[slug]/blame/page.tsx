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
import { followRename } from "../renamed";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Who wrote what" };

export default async function BlamePage({ params }: Props) {
  const title = titleFromSegment((await params).slug);
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
  return (
    <div className="blame-page">
      <PageTabs slug={page.slug} current="history" />
      <h1>Who wrote what: {page.title}</h1>
      <p className="hint">
        Each block of the current text, with the revision that last wrote it.
        {olderLeftOut
          ? ` Only the newest ${considered} revisions are considered (at most ${MAX_BLAME_REVISIONS}, and at most ${MAX_BLAME_BYTES / 1_000_000} MB of text); older lines are credited to the oldest of those.`
          : ""}
      </p>
      <table className="blame">
        <tbody>
          {blameBlocks(lines).map((block) => {
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
    </div>
  );
}
