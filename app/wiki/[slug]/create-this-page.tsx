"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { PageTools } from "./page-tools";

/** "Create this page" for the title in the current /wiki/<slug> URL. */
export function CreateThisPage() {
  const pathname = usePathname();
  const slug = pathname.split("/")[2] ?? "";
  let title = slug;
  try {
    title = decodeURIComponent(slug).replace(/_/g, " ");
  } catch {}
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
  let decoded = slug;
  try {
    decoded = decodeURIComponent(slug);
  } catch {}
  return <PageTools slug={decoded} />;
}
