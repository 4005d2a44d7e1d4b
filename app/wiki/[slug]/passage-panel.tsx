import Link from "next/link";
import type { ResolvedAnchor } from "@/lib/wiki/anchor-store";
import { pagePath } from "@/lib/wiki/title";

/** A quote cut to a readable length for lists. */
export function shortQuote(quote: string, max = 160): string {
  return quote.length > max ? `${quote.slice(0, max - 1)}…` : quote;
}

/** What became of a thread's passage, in words (not colour alone). */
export function anchorStatusText(anchor: Pick<ResolvedAnchor, "anchorStatus" | "confidence">): string {
  if (anchor.anchorStatus === "anchored") return "on the page";
  if (anchor.anchorStatus === "fuzzy") return `reworded since (a close match, ${Math.round(anchor.confidence * 100)}% alike)`;
  return "no longer on the page";
}

/**
 * The side panel of a page's discussed passages: each thread with its quote,
 * what became of the passage and links to the passage and the thread. The
 * same for every reader (the page is cached and shared).
 */
export function PassagePanel({ slug, anchors }: { slug: string; anchors: ResolvedAnchor[] }) {
  if (anchors.length === 0) return null;
  return (
    <aside className="passage-panel" aria-labelledby="passages-heading">
      <h2 id="passages-heading">Discussed passages ({anchors.length})</h2>
      <ol>
        {anchors.map((a) => (
          <li key={a.threadId} id={`passage-thread-${a.threadId}`} data-anchor-status={a.anchorStatus}>
            <Link href={pagePath(slug, `/talk/${a.threadId}`)}>{a.threadTitle}</Link>
            <blockquote className="passage-quote">{shortQuote(a.quote)}</blockquote>
            <p className="hint">
              Passage {anchorStatusText(a)}
              {a.anchorStatus === "orphaned" && a.lostAtRevisionId ? (
                <>
                  {" "}
                  (removed in <Link href={`${pagePath(slug, "/diff")}?to=${a.lostAtRevisionId}`}>this edit</Link>)
                </>
              ) : null}
              {a.anchorStatus !== "orphaned" ? (
                <>
                  {" "}
                  · <a href={`#passage-${a.threadId}`}>Show the passage</a>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ol>
    </aside>
  );
}
