import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { listTags } from "@/lib/wiki/page-store";

export const metadata: Metadata = { title: "Tags" };

export default async function TagsPage() {
  await connection();
  const tags = await listTags(getDb());
  return (
    <>
      <h1>Tags</h1>
      <ul className="tag-cloud">
        {tags.map((t) => (
          <li key={t.tag}>
            <Link className="tag" href={`/tags/${encodeURIComponent(t.tag)}`}>
              {t.tag}
            </Link>{" "}
            <span className="count">({t.pages})</span>
          </li>
        ))}
      </ul>
    </>
  );
}
