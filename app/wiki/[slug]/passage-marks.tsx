"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { pagePath } from "@/lib/wikitext/title";
import { anchorStatusText } from "./passage-text";
import { NewThreadForm, type ThreadAnchorFields } from "./talk/talk-forms";

/**
 * A thread about a passage, as the page lists and marks it (compact: the page is
 * shared and cached, and these props are all the browser needs). `start`/`end`:
 * where the passage is on this revision's text, absent when it is orphaned.
 */
export type PagePassage = {
  threadId: number;
  title: string;
  quote: string;
  status: "anchored" | "fuzzy" | "orphaned";
  confidence: number;
  lostAt: number | null;
  /** Orphaned because the search gave up on this revision, not because the passage is gone. */
  unplaced?: boolean;
  start?: number;
  end?: number;
};

type PassageMark = { threadId: number; title: string; start: number; end: number; status: "anchored" | "fuzzy" };

/** Joins the page's selectable parts, as lib/wiki/rendered-text.ts does on the server. */
const SEPARATOR = "\n\n";
const MAX_QUOTE = 2000;
const CONTEXT = 32;

type TextNodeAt = { node: Text; start: number };

/**
 * The page's rendered text as the server counts it (lib/wiki/rendered-text.ts):
 * the text of each `[data-anchor-segment]` element in page order, joined by
 * SEPARATOR; what this script adds (`[data-anchor-ui]`) does not count.
 */
function pageText(): { text: string; nodes: TextNodeAt[] } {
  const nodes: TextNodeAt[] = [];
  let text = "";
  const segments = document.querySelectorAll<HTMLElement>("[data-anchor-segment]");
  segments.forEach((segment, i) => {
    if (i > 0) text += SEPARATOR;
    const walker = document.createTreeWalker(segment, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement?.closest("[data-anchor-ui]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node: node as Text, start: text.length });
      text += (node as Text).data;
    }
  });
  return { text, nodes };
}

/** The offset in the page's text of a DOM position, or null outside the selectable parts. */
function offsetOf(nodes: TextNodeAt[], container: Node, offset: number): number | null {
  if (!container.parentElement?.closest("[data-anchor-segment]") && !(container instanceof Element && container.closest("[data-anchor-segment]"))) return null;
  if (container.nodeType === Node.TEXT_NODE) {
    const at = nodes.find((n) => n.node === container);
    return at ? at.start + offset : null;
  }
  // A position between elements: where the first text node at or after it begins.
  const point = document.createRange();
  point.setStart(container, offset);
  const next = nodes.find((n) => point.comparePoint(n.node, 0) >= 0);
  return next ? next.start : null;
}

/** Wrap [start, end) of the page's text in marks (descending intervals keep the collected offsets valid while text nodes split). */
function wrap(nodes: TextNodeAt[], start: number, end: number, make: () => HTMLElement): HTMLElement[] {
  const made: HTMLElement[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const { node, start: nodeStart } = nodes[i]!;
    const nodeEnd = nodeStart + node.data.length;
    if (nodeEnd <= start || nodeStart >= end) continue;
    if (!node.data.trim()) continue;
    let piece = node;
    const to = Math.min(end, nodeEnd) - nodeStart;
    const from = Math.max(start, nodeStart) - nodeStart;
    if (to < piece.data.length) piece.splitText(to);
    if (from > 0) piece = piece.splitText(from);
    const mark = make();
    piece.parentNode?.insertBefore(mark, piece);
    mark.appendChild(piece);
    made.unshift(mark);
  }
  return made;
}

function applyMarks(passages: PassageMark[]) {
  const { text, nodes } = pageText();
  // Elementary intervals: between any two passage edges, the set of threads covering it.
  const edges = [...new Set(passages.flatMap((p) => [p.start, p.end]))].filter((e) => e >= 0 && e <= text.length).sort((a, b) => a - b);
  const intervals: { start: number; end: number; threads: PassageMark[] }[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i]!;
    const end = edges[i + 1]!;
    const threads = passages.filter((p) => p.start <= start && p.end >= end);
    if (threads.length > 0) intervals.push({ start, end, threads });
  }
  for (let i = intervals.length - 1; i >= 0; i--) {
    const { start, end, threads } = intervals[i]!;
    const ids = threads.map((t) => t.threadId);
    const marks = wrap(nodes, start, end, () => {
      const mark = document.createElement("mark");
      mark.className = threads.some((t) => t.status === "fuzzy") ? "passage-mark passage-fuzzy" : "passage-mark";
      mark.dataset.threads = ids.join(" ");
      return mark;
    });
    const last = marks.at(-1);
    if (!last) continue;
    // The end of a passage (or of where its threads change): focusable, with its count in text, not colour alone.
    last.tabIndex = 0;
    last.title = `Discussed in: ${threads.map((t) => t.title).join("; ")}`;
    const count = document.createElement("sup");
    count.className = "passage-count";
    count.dataset.anchorUi = "";
    count.innerHTML = `${threads.length}<span class="visually-hidden"> ${threads.length === 1 ? "discussion" : "discussions"} about this passage (Enter shows ${threads.length === 1 ? "it" : "them"})</span>`;
    last.after(count);
    for (const t of threads) {
      if (t.start === start || !document.getElementById(`passage-${t.threadId}`)) {
        const target = document.getElementById(`passage-${t.threadId}`) ?? Object.assign(document.createElement("span"), { id: `passage-${t.threadId}` });
        target.dataset.anchorUi = "";
        marks[0]!.before(target);
      }
    }
  }
}

/** Move to the side panel's entry of the first thread a mark stands for. */
function showThreads(mark: HTMLElement) {
  const first = mark.dataset.threads?.split(" ")[0];
  const entry = first ? document.getElementById(`passage-thread-${first}`) : null;
  if (!entry) return;
  entry.scrollIntoView({ block: "nearest" });
  entry.querySelector<HTMLElement>("a")?.focus();
}

type Selected = ThreadAnchorFields & { tooLong: boolean };

/**
 * The discussed passages of the page, highlighted as focusable marks (Enter or
 * a click moves to their threads in the side panel), and "Discuss this" for a
 * selection in the page's text: it opens a new thread about the passage.
 */
export function PassageMarks({
  slug,
  revision,
  threads,
  unmarked = 0,
  discuss = true,
}: {
  slug: string;
  revision: number;
  threads: PagePassage[];
  unmarked?: number;
  /** Whether a selection offers "Discuss this" (the latest revision: an old one only shows its own threads' passages). */
  discuss?: boolean;
}) {
  const passages = useMemo(
    () =>
      threads.flatMap((t): PassageMark[] =>
        t.status !== "orphaned" && t.start !== undefined && t.end !== undefined ? [{ threadId: t.threadId, title: t.title, start: t.start, end: t.end, status: t.status }] : [],
      ),
    [threads],
  );
  const [selected, setSelected] = useState<Selected | null>(null);
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    // After a client-side navigation the body arrives later (article-body.tsx): mark it once it is there.
    const body = document.querySelector<HTMLElement>('[data-anchor-segment="body"]');
    let observer: MutationObserver | undefined;
    const mark = () => {
      // Once per body: a second pass would mark the marks.
      if (passages.length === 0 || !body || body.dataset.passagesMarked) return;
      body.dataset.passagesMarked = "1";
      applyMarks(passages);
      const target = window.location.hash.startsWith("#passage-") ? document.getElementById(window.location.hash.slice(1)) : null;
      target?.nextElementSibling?.scrollIntoView({ block: "center" });
    };
    if (!body || body.childNodes.length > 0) mark();
    else {
      observer = new MutationObserver(() => {
        if (body.childNodes.length === 0) return;
        observer?.disconnect();
        mark();
      });
      observer.observe(body, { childList: true });
    }
    const activate = (event: Event) => {
      const mark = (event.target as HTMLElement).closest<HTMLElement>("mark.passage-mark");
      if (!mark) return;
      if (event instanceof KeyboardEvent && event.key !== "Enter" && event.key !== " ") return;
      if (event instanceof MouseEvent && window.getSelection()?.isCollapsed === false) return;
      event.preventDefault();
      showThreads(mark);
    };
    document.addEventListener("click", activate);
    document.addEventListener("keydown", activate);
    return () => {
      observer?.disconnect();
      document.removeEventListener("click", activate);
      document.removeEventListener("keydown", activate);
    };
    // Marks are applied once to the server's markup (the same for every reader).
  }, [passages]);

  const opened = useRef(false);
  opened.current = open;

  const readSelection = useCallback(() => {
    // While the form is open, what the reader selects in it is not a new passage.
    if (opened.current) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return setSelected(null);
    const range = selection.getRangeAt(0);
    const { text, nodes } = pageText();
    const start = offsetOf(nodes, range.startContainer, range.startOffset);
    const end = offsetOf(nodes, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return setSelected(null);
    // Whitespace at the edges of a selection is not part of what was meant.
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) return setSelected(null);
    setSelected({
      exact: text.slice(s, e),
      prefix: text.slice(Math.max(0, s - CONTEXT), s),
      suffix: text.slice(e, e + CONTEXT),
      start: s,
      end: e,
      revisionId: revision,
      tooLong: e - s > MAX_QUOTE,
    });
  }, [revision]);

  useEffect(() => {
    if (!discuss) return;
    // A selection made by mouse, keyboard or touch; read once it settles.
    let timer: number | undefined;
    const onChange = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(readSelection, 120);
    };
    document.addEventListener("selectionchange", onChange);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener("selectionchange", onChange);
    };
  }, [readSelection, discuss]);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  return (
    <>
      {threads.length > 0 ? <PassagePanel slug={slug} threads={threads} unmarked={unmarked} /> : null}
      {selected && !open ? (
        <div className="discuss-bar" data-anchor-ui="">
          {selected.tooLong ? (
            <p role="status">Select at most 2,000 characters to discuss a passage.</p>
          ) : (
            <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => setOpen(true)}>
              Discuss this
            </button>
          )}
        </div>
      ) : null}
      <dialog ref={dialog} className="discuss-dialog" aria-labelledby="discuss-heading" onClose={() => setOpen(false)} data-anchor-ui="">
        <h2 id="discuss-heading">Discuss this passage</h2>
        {open && selected ? (
          <>
            <blockquote className="passage-quote">{selected.exact}</blockquote>
            <NewThreadForm slug={slug} anchor={selected} />
            <button type="button" className="link-button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </>
        ) : null}
      </dialog>
    </>
  );
}

/**
 * The side panel of a page's discussed passages: each thread with its quote,
 * what became of the passage, and links to the passage and the thread.
 */
function PassagePanel({ slug, threads, unmarked }: { slug: string; threads: PagePassage[]; unmarked: number }) {
  return (
    <aside className="passage-panel" aria-labelledby="passages-heading">
      <h2 id="passages-heading">Discussed passages ({threads.length})</h2>
      <ol>
        {threads.map((t) => (
          <li key={t.threadId} id={`passage-thread-${t.threadId}`}>
            <Link href={pagePath(slug, `/talk/${t.threadId}`)}>{t.title}</Link>
            <blockquote className="passage-quote">{t.quote}</blockquote>
            <p className="hint">
              Passage {anchorStatusText({ anchorStatus: t.status, confidence: t.confidence, unplaced: t.unplaced })}
              {t.status === "orphaned" && t.lostAt ? (
                <>
                  {" "}
                  (removed in <Link href={`${pagePath(slug, "/diff")}?to=${t.lostAt}`}>this edit</Link>)
                </>
              ) : null}
              {t.status !== "orphaned" ? (
                <>
                  {" "}
                  · <a href={`#passage-${t.threadId}`}>Show the passage</a>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ol>
      {unmarked > 0 ? (
        // The caps (per page, per author) left these without marks: say so, and where they are.
        <p className="hint">
          {unmarked} more {unmarked === 1 ? "thread about a passage is" : "threads about passages are"} not marked here;{" "}
          <Link href={pagePath(slug, "/talk")}>{unmarked === 1 ? "it is" : "they are"} listed on the talk page</Link>.
        </p>
      ) : null}
    </aside>
  );
}
