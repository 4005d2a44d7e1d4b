import Link from "next/link";
import { pagePath } from "@/lib/wiki/title";
import { PageActions } from "./page-tools";

type Tab = "page" | "talk" | "edit" | "history";

/** MediaWiki's access keys (Alt+Shift+key in most browsers): c the page, t its talk, e edit, h history. */
const ACCESS_KEYS: Record<Tab, string> = { page: "c", talk: "t", edit: "e", history: "h" };

/** The tabs above a page and its talk, edit and history views, with the page's actions beside them. */
export function PageTabs({ slug, current, threads, permalink }: { slug: string; current: Tab; threads?: number; permalink?: string }) {
  const tab = (name: Tab, href: string, label: React.ReactNode) => (
    <Link href={href} aria-current={current === name ? "page" : undefined} accessKey={ACCESS_KEYS[name]}>
      {label}
    </Link>
  );
  return (
    <div className="page-tabs">
      <nav aria-label="Page views" className="page-tab-list">
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
      <PageActions slug={slug} path={pagePath(slug)} permalink={permalink} />
    </div>
  );
}
