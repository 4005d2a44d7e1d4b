import type { ReactNode } from "react";
import type { ComponentProps } from "./allowlist";

/*
 * The components an author may use in a page. Their props are checked against
 * the allowlist's schemas before a page is ever bundled; these render them to
 * static HTML once per revision.
 */

type WithChildren<P> = P & { children?: ReactNode };

function Callout({ type = "note", title, children }: WithChildren<ComponentProps<"Callout">>) {
  const label = title ?? { note: "Note", tip: "Tip", warning: "Warning" }[type];
  return (
    <aside className={`callout callout-${type}`} role="note" aria-label={label}>
      <p className="callout-title">{label}</p>
      <div className="callout-body">{children}</div>
    </aside>
  );
}

function Quote({ author, source, href, date, children }: WithChildren<ComponentProps<"Quote">>) {
  return (
    <figure className="quote">
      <blockquote cite={href}>{children}</blockquote>
      <figcaption>
        — {author}
        {source ? (
          <>
            , <cite>{href ? <a href={href} rel="nofollow noopener">{source}</a> : source}</cite>
          </>
        ) : null}
        {date ? <> ({date})</> : null}
      </figcaption>
    </figure>
  );
}

function Comparison({ tkm, sl, title }: ComponentProps<"Comparison">) {
  return (
    <section className="comparison comparison-inline" aria-label={title ?? "Comparison"}>
      {title ? <p className="comparison-title">{title}</p> : null}
      <div className="comparison-grid">
        <div className="comparison-side comparison-tkm">
          <p className="comparison-label">Traditional knowledge management</p>
          <p>{tkm}</p>
        </div>
        <div className="comparison-side comparison-sl">
          <p className="comparison-label">Social learning</p>
          <p>{sl}</p>
        </div>
      </div>
    </section>
  );
}

function Figure({ src, alt, caption, width, height }: ComponentProps<"Figure">) {
  return (
    <figure className="media-figure">
      {/* eslint-disable-next-line @next/next/no-img-element -- static HTML rendered once per revision */}
      <img src={src} alt={alt} width={width} height={height} loading="lazy" decoding="async" />
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

function Video({ src, caption, poster, title }: ComponentProps<"Video">) {
  return (
    <figure className="media-video">
      <video src={src} poster={poster} controls preload="metadata" title={title ?? caption} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function Audio({ src, caption, title }: ComponentProps<"Audio">) {
  return (
    <figure className="media-audio">
      <audio src={src} controls preload="none" title={title ?? caption} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

/** The allowlisted components, by the name authors write. */
export const mdxComponents = { Callout, Quote, Comparison, Figure, Video, Audio };
