import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db";
import { blame, blameBlocks, DEFAULT_MAX_BLAME_REVISIONS } from "@/lib/wiki/blame";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { revisionChain } from "@/lib/wiki/revision-store";
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
  // One more than blame considers, so that it can tell when older history was left out.
  const chain = await revisionChain(db, page.id, DEFAULT_MAX_BLAME_REVISIONS + 1);
  const { lines, truncated } = blame(chain.map((r) => ({ id: r.id, authorName: r.authorName, createdAt: r.createdAt, summary: r.summary, content: r.content })));
  const byId = new Map(chain.map((r) => [r.id, r]));
  const fmt = (d: Date) => d.toISOString().slice(0, 10);
  return (
    <div className="blame-page">
      <PageTabs slug={page.slug} current="history" />
      <h1>Who wrote what: {page.title}</h1>
      <p className="hint">
        Each block of the current text, with the revision that last wrote it.
        {truncated ? " Only the newest 500 revisions are considered; older lines are credited to the oldest of those." : ""}
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
