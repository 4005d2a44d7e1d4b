import type { ReactNode } from "react";
import type { ComponentProps } from "./allowlist";
import { env } from "@/lib/env";
import { embedProviders, embedSource, type FrameProvider } from "./embeds";

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

/** A `File:…` prop names an uploaded file: left as data-file-* for the page view to resolve (lib/wiki/media-refs.ts). */
const isFileRef = (value: string | undefined): value is string => value !== undefined && value.startsWith("File:");
const fileSlug = (ref: string) => ref.replace(/ /g, "_");
/** src (or poster) as a URL, or as an uploaded file for the view to fill in. */
function source(name: "src" | "poster", value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  return isFileRef(value) ? { [`data-file-${name}`]: fileSlug(value) } : { [name]: value };
}

function Figure({ src, alt, caption, width, height }: ComponentProps<"Figure">) {
  // eslint-disable-next-line @next/next/no-img-element -- static HTML rendered once per revision
  const image = <img {...source("src", src)} alt={alt} width={width} height={height} loading="lazy" decoding="async" />;
  return (
    <figure className="media-figure">
      {isFileRef(src) ? (
        <a href={`/wiki/${encodeURIComponent(fileSlug(src)).replace(/%3A/g, ":")}`} className="media-file-link">
          {image}
        </a>
      ) : (
        image
      )}
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

function Transcript({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <details className="media-transcript">
      <summary>Transcript</summary>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
    </details>
  );
}

function Captions({ captions }: { captions: string | undefined }) {
  return captions ? <track kind="captions" label="Captions" default {...source("src", captions)} /> : null;
}

function Video({ src, caption, poster, title, captions, transcript }: ComponentProps<"Video">) {
  return (
    <figure className="media-video">
      <video {...source("src", src)} {...source("poster", poster)} controls preload="metadata" title={title ?? caption}>
        <Captions captions={captions} />
      </video>
      <figcaption>{caption}</figcaption>
      <Transcript text={transcript} />
    </figure>
  );
}

function Audio({ src, caption, title, captions, transcript }: ComponentProps<"Audio">) {
  return (
    <figure className="media-audio">
      <audio {...source("src", src)} controls preload="none" title={title ?? caption}>
        <Captions captions={captions} />
      </audio>
      <figcaption>{caption}</figcaption>
      <Transcript text={transcript} />
    </figure>
  );
}

/**
 * A video or recording from an allowlisted provider, or a podcast episode's
 * audio file on an allowlisted host, as a click-to-load facade: nothing is
 * fetched from the provider until the reader presses the button (the article
 * body then puts the player, or an <audio controls>, in its place; without
 * script, the link opens it on the provider's site).
 */
function Embed({ provider, id, title, caption }: ComponentProps<"Embed">) {
  const source = embedSource(provider, id, env().PODCAST_HOSTS);
  if (!source) return null;
  const label = provider === "podcast" ? new URL(source.src).hostname : embedProviders[provider as FrameProvider].label;
  const page = provider === "podcast" ? source.src : embedProviders[provider as FrameProvider].page(id);
  return (
    <figure className="media-embed">
      <div className="embed-facade" data-embed-provider={provider} data-embed-id={id} data-embed-title={title}>
        <button type="button" className="embed-load">
          {source.kind === "audio" ? "Listen to" : "Play"} “{title}” from {label}
        </button>
        <p className="embed-note">
          Loading it sends your address to {label}. <a href={page} rel="nofollow noopener">Open it there instead</a>.
        </p>
      </div>
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}

/** The allowlisted components, by the name authors write. */
export const mdxComponents = { Callout, Quote, Comparison, Figure, Video, Audio, Embed };
