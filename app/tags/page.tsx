import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Pager } from "../_components/pager";
import { getDb } from "@/lib/db";
import { keysetRequest } from "@/lib/wiki/keyset";
import { listTags, TAGS_PAGE_SIZE } from "@/lib/wiki/page-store";

export const metadata: Metadata = { title: "Tags" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TagsPage({ searchParams }: Props) {
  await connection();
  const { rows: tags, prev, next } = await listTags(getDb(), keysetRequest(await searchParams, TAGS_PAGE_SIZE));
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
      <Pager basePath="/tags" prev={prev} next={next} label="Pages of tags" />
    </>
  );
}
