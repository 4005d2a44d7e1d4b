import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { listPages } from "@/lib/wiki/page-store";
import { pagePath } from "@/lib/wiki/title";

export const metadata: Metadata = { title: "All pages" };

export default async function AllPages() {
  await connection();
  const pages = await listPages(getDb());
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
    </>
  );
}
