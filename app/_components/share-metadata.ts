import type { Metadata } from "next";
import { env } from "@/lib/env";

/**
 * What a shared link shows (OpenGraph title and summary) and, when the wiki
 * knows its public address (PUBLIC_URL), the canonical address. Without
 * PUBLIC_URL the origin comes from each request's Host, and a page kept in
 * the shared page cache must not carry one reader's origin to another, so
 * there is then no absolute address in the page at all.
 */
export function shareMetadata(input: { title: string; description?: string; path?: string }): Metadata {
  const publicUrl = env().PUBLIC_URL;
  const canonical = publicUrl && input.path ? new URL(input.path, publicUrl).toString() : undefined;
  return {
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(canonical ? { alternates: { canonical } } : {}),
    openGraph: {
      siteName: "Propagate",
      type: input.path?.startsWith("/wiki/") ? "article" : "website",
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      ...(canonical ? { url: canonical } : {}),
    },
    twitter: { card: "summary", title: input.title, ...(input.description ? { description: input.description } : {}) },
  };
}
