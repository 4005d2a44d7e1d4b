"use client";

import { useEffect, useRef, useState } from "react";
import { embedPlayer } from "@/lib/mdx/embeds";
import { takeArticleHtml } from "./article-body-handoff";

/** Bodies this browser fetched after client-side navigations, by their page address (a revision's, so they never change). */
const fetched = new Map<string, string>();

type Props = {
  /** The key the page left the HTML under (article-body-handoff.ts), for the server render. */
  handoff: string;
  /** The address of this revision's page (`?rev=`), whose HTML holds the body. */
  source: string;
  revision: number;
};

/**
 * The article's rendered body, sent once: in the HTML, not again in the
 * React Server Components payload (which carries only these props).
 *
 * - On the server the HTML comes from the handoff and is rendered with
 *   dangerouslySetInnerHTML.
 * - Hydration keeps the server's markup: React neither compares nor resets
 *   dangerouslySetInnerHTML while hydrating, and the client's value ("")
 *   never changes afterwards, so React never writes it.
 * - After a client-side navigation the payload has no body: the component
 *   mounts empty and reads the body from the revision's page, which the page
 *   cache answers.
 */
export function ArticleBody({ handoff, source, revision }: Props) {
  const serverHtml = typeof window === "undefined" ? (takeArticleHtml(handoff) ?? "") : undefined;
  const [html, setHtml] = useState(() => (typeof window === "undefined" ? "" : (fetched.get(source) ?? "")));
  const [failed, setFailed] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    // Hydrated from the server's HTML, or already filled from this browser's copy.
    if (!element || element.childNodes.length > 0 || html !== "") return;
    let cancelled = false;
    fetch(source, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(async (response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const body = page.querySelector(`.prose[data-revision="${revision}"]`);
        if (!body) throw new Error("no article body");
        fetched.set(source, body.innerHTML);
        if (!cancelled) setHtml(body.innerHTML);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [html, revision, source]);

  // Click-to-load embeds (lib/mdx/components.tsx's Embed): the provider's player takes the facade's place only now.
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onClick = (event: MouseEvent) => {
      const button = event.target instanceof Element ? event.target.closest(".embed-load") : null;
      const facade = button?.closest<HTMLElement>(".embed-facade");
      if (!facade) return;
      const title = facade.dataset.embedTitle ?? "Embedded player";
      if (facade.dataset.embedProvider === "podcast") {
        // The server rendered this facade only for a host on PODCAST_HOSTS; the page's CSP media-src admits those hosts alone.
        const src = facade.dataset.embedId ?? "";
        if (!src.startsWith("https://")) return;
        const audio = document.createElement("audio");
        audio.controls = true;
        audio.preload = "none";
        audio.title = title;
        audio.src = src;
        audio.className = "embed-audio";
        facade.replaceChildren(audio);
        audio.play().catch(() => {});
        return;
      }
      const player = embedPlayer(facade.dataset.embedProvider ?? "", facade.dataset.embedId ?? "");
      if (!player) return;
      const frame = document.createElement("iframe");
      frame.src = player;
      frame.title = title;
      frame.allow = "fullscreen; picture-in-picture; encrypted-media";
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups");
      frame.className = "embed-frame";
      // The facade's words stay, hidden: passages are counted over the body's text as the server renders it
      // (passage-marks.tsx), so removing them would shift every offset after the player (a selection there then named
      // other words, a twin paragraph's).
      for (const child of facade.children) if (child instanceof HTMLElement) child.hidden = true;
      facade.append(frame);
    };
    element.addEventListener("click", onClick);
    return () => element.removeEventListener("click", onClick);
  }, []);

  if (failed) {
    return (
      <p className="render-error" role="alert">
        The page text could not be loaded. <a href={source}>Load it again</a>.
      </p>
    );
  }
  // data-anchor-segment: readers select passages to discuss in it (passage-marks.tsx), which marks them inside.
  return <div ref={ref} className="prose" data-revision={revision} data-anchor-segment="body" suppressHydrationWarning dangerouslySetInnerHTML={{ __html: serverHtml ?? html }} />;
}
