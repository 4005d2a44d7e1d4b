import Link from "next/link";
import { pagePath } from "@/lib/wiki/title";

type Tab = "page" | "talk" | "edit" | "history";

/** The tabs above a page and its talk, edit and history views. */
export function PageTabs({ slug, current, threads }: { slug: string; current: Tab; threads?: number }) {
  const tab = (name: Tab, href: string, label: React.ReactNode) => (
    <Link href={href} aria-current={current === name ? "page" : undefined}>
      {label}
    </Link>
  );
  return (
    <nav aria-label="Page tools" className="page-tabs">
      {tab("page", pagePath(slug), "Page")}
      {tab(
        "talk",
        pagePath(slug, "/talk"),
        <>
          Discussion {threads !== undefined ? <span className="tab-count">({threads})</span> : null}
        </>,
      )}
      <span className="tab-spacer" />
      {tab("edit", pagePath(slug, "/edit"), "Edit")}
      {tab("history", pagePath(slug, "/history"), "History")}
    </nav>
  );
}
