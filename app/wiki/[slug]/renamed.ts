import "server-only";
import { redirect } from "next/navigation";
import type { Database } from "@/lib/db/client";
import { renamedTo } from "@/lib/wiki/page-admin";
import { pagePath } from "@/lib/wiki/title";

type Query = Record<string, string | string[] | undefined>;

/**
 * Old addresses of a renamed page keep working: its history, diffs, blame,
 * talk and editor redirect to the same view under the new title, with the
 * same query (revision ids stay valid, since the page kept its history).
 */
export async function followRename(db: Database, slug: string, subpath: string, query: Query = {}): Promise<void> {
  const target = await renamedTo(db, slug);
  if (!target) return;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const v of [value].flat()) if (v !== undefined) search.append(name, v);
  const qs = search.toString();
  redirect(`${pagePath(target, subpath)}${qs ? `?${qs}` : ""}`);
}
