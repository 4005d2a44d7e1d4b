import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Pager } from "../../_components/pager";
import { getDb } from "@/lib/db";
import { keysetRequest } from "@/lib/wiki/keyset";
import { listPagesWithTag, PAGES_PAGE_SIZE } from "@/lib/wiki/page-store";
import { decodeSegment } from "@/lib/text";
import { pagePath } from "@/lib/wiki/title";

type Props = { params: Promise<{ tag: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Tag: ${decodeSegment((await params).tag) ?? "unknown"}` };
}

export default async function TagPage({ params, searchParams }: Props) {
  await connection();
  const tag = decodeSegment((await params).tag)?.toLowerCase() ?? "";
  if (!/^[\p{L}\p{N}-]{1,40}$/u.test(tag)) notFound();
  const request = keysetRequest(await searchParams, PAGES_PAGE_SIZE);
  const { rows: pages, prev, next } = await listPagesWithTag(getDb(), tag, request);
  if (pages.length === 0 && !request.after && !request.before) notFound();
  return (
    <>
      <h1>Pages tagged &ldquo;{tag}&rdquo;</h1>
      <p>
        <Link href={`/compare?tag=${encodeURIComponent(tag)}`}>Show the differences with this tag in the matrix</Link> ·{" "}
        <Link href="/tags">All tags</Link>
      </p>
      <ul className="page-list">
        {pages.map((p) => (
          <li key={p.slug}>
            <Link href={pagePath(p.slug)}>{p.title}</Link> <span className="page-kind-badge">{p.kind}</span>
            <p className="page-list-summary">{p.summary}</p>
          </li>
        ))}
      </ul>
      <Pager basePath={`/tags/${encodeURIComponent(tag)}`} prev={prev} next={next} label="Pages of this tag" />
    </>
  );
}
