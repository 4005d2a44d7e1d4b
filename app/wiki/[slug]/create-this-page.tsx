"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { decodeSegment } from "@/lib/text";
import { PageTools } from "./page-tools";

/** "Create this page" for the title in the current /wiki/<slug> URL. */
export function CreateThisPage() {
  const pathname = usePathname();
  const slug = pathname.split("/")[2] ?? "";
  const title = decodeSegment(slug)?.replace(/_/g, " ") ?? slug;
  return (
    <p className="create-page">
      <Link href={`/wiki/${slug}/edit`}>Create the page &ldquo;{title}&rdquo;</Link> ·{" "}
      <Link href={`/search?q=${encodeURIComponent(title)}`}>Search for &ldquo;{title}&rdquo;</Link>
    </p>
  );
}

/** Moderators can restore a deleted page from its 404. */
export function DeletedPageTools() {
  const slug = usePathname().split("/")[2] ?? "";
  return <PageTools slug={decodeSegment(slug) ?? slug} />;
}
