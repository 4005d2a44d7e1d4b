import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Pager } from "../_components/pager";
import { getDb } from "@/lib/db";
import { keysetRequest } from "@/lib/wiki/keyset";
import { listPages, PAGES_PAGE_SIZE } from "@/lib/wiki/page-store";
import { pagePath } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "All pages" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AllPages({ searchParams }: Props) {
  await connection();
  const { rows: pages, prev, next } = await listPages(getDb(), keysetRequest(await searchParams, PAGES_PAGE_SIZE));
  return (
    <>
      <h1>All pages</h1>
      <ul className="page-list">
        {pages.map((p) => (
          <li key={p.slug}>
            <Link href={pagePath(p.slug)}>{p.title}</Link> <span className="page-kind-badge">{p.kind}</span>
          </li>
        ))}
      </ul>
      <Pager basePath="/pages" prev={prev} next={next} label="Pages of the list" />
    </>
  );
}
