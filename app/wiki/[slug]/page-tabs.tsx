import Link from "next/link";
import { pagePath } from "@/lib/wiki/title";

/** The Page / Discussion tabs above a page and its talk page. */
export function PageTabs({ slug, current, threads }: { slug: string; current: "page" | "talk"; threads: number }) {
  return (
    <nav aria-label="Page tools" className="page-tabs">
      <Link href={pagePath(slug)} aria-current={current === "page" ? "page" : undefined}>
        Page
      </Link>
      <Link href={pagePath(slug, "/talk")} aria-current={current === "talk" ? "page" : undefined}>
        Discussion <span className="tab-count">({threads})</span>
      </Link>
    </nav>
  );
}
