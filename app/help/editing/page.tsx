import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { env } from "@/lib/env";
import { pageKinds } from "@/lib/wiki/page-kinds";

export const metadata: Metadata = { title: "Help: editing pages" };

// Focusable, so keyboard users can scroll examples wider than the screen.
const example = (lines: string[]) => (
  <pre className="example" tabIndex={0}>
    {lines.join("\n")}
  </pre>
);

export default async function EditingHelp() {
  // The podcast hosts are the running wiki's (PODCAST_HOSTS), not those of the build.
  await connection();
  const podcastHosts = env().PODCAST_HOSTS;
  return (
    <article className="help prose">
      <h1>Editing pages</h1>
      <p>
        Every page is written in MDX: Markdown plus a few components. Each save becomes a revision that anyone can compare and restore. For
        safety, only the components below are allowed, with the props listed; code, expressions, HTML tags, <code>import</code>/
        <code>export</code> and links other than http, https, mailto or site-relative ones are refused with a message naming the line and
        column.
      </p>

      <h2 id="front-matter">Front matter</h2>
      <p>A page starts with YAML between two <code>---</code> lines. Difference pages also carry both sides of the comparison.</p>
      {example([
        "---",
        "title: Mandate or pull",
        `kind: difference          # ${pageKinds.join(" | ")}`,
        "summary: One sentence that sums the page up.",
        "dimension: Who drives it",
        "tkm: Introduced from the top down, as a mandate.",
        "sl: Grows from the bottom up; people ask for it.",
        "tags: [governance, adoption]",
        "sources:",
        "  - The Differences between Social Learning and Knowledge Management",
        "  - { title: A book, author: Someone, year: 2001 }",
        "---",
      ])}

      <h2 id="links">Wiki links</h2>
      <p>
        Link to another page with <code>[[Page title]]</code>, or show other words with <code>[[Page title|label]]</code>. A link to a page
        that does not exist yet is shown in red and leads to creating it. Ordinary Markdown links work for other sites:{" "}
        <code>[text](https://example.org)</code>.
      </p>

      <h2 id="components">Components</h2>
      <h3 id="comparison">Comparison</h3>
      <p>A small side-by-side block inside the text.</p>
      {example(['<Comparison tkm="One sanctioned tool." sl="Many tools, each person\'s own way." title="Tools" />'])}
      <h3 id="callout">Callout</h3>
      <p>
        A highlighted note; <code>type</code> is <code>note</code>, <code>tip</code> or <code>warning</code>, and <code>title</code> is
        optional.
      </p>
      {example(['<Callout type="tip" title="Add evidence">', "Markdown **works** inside.", "</Callout>"])}
      <h3 id="quote">Quote</h3>
      <p>A short quotation with attribution: <code>author</code> is required; <code>source</code>, <code>href</code> and <code>date</code> are optional.</p>
      {example(['<Quote author="Howard Johnson" source="Comment on the origin post">', "KM is the nursery", "</Quote>"])}
      <h3 id="files">Uploading files</h3>
      <p>
        Pictures (JPEG, PNG, WebP, AVIF, GIF), audio (MP3, M4A, Ogg/Opus, WAV), video (MP4, WebM), PDF documents and WebVTT captions can be
        uploaded: in the editor with the upload button, by dropping a file on it, or by pasting a picture into the source; tools use{" "}
        <code>POST /api/files</code>. Each file gets a page, <code>File:&lt;name&gt;</code>, with its description, licence, source and file
        history; uploading under the same name again adds a revision, which can be reverted like any edit. Pictures are stored without their
        metadata (a phone photo&apos;s GPS position is never published).
      </p>
      <h3 id="figure">Figure</h3>
      <p>
        A picture with required alternative text and an optional caption. Name an uploaded file: the page then offers resized copies to each
        screen, loads lazily and keeps its place while loading. <code>File:Garden.jpg</code> below stands for a file uploaded to this wiki:
        upload one under that name first, or use your file&apos;s name.
      </p>
      {example(['<Figure src="File:Garden.jpg" alt="A garden bed of young plants" caption="Cuttings grow in context." />'])}
      <h3 id="video">Video and audio</h3>
      <p>
        Players for uploaded files, with a caption; audio suits podcasts. <code>captions</code> names an uploaded WebVTT file and{" "}
        <code>transcript</code> holds the words as text (blank lines between paragraphs).
      </p>
      {example([
        '<Video src="File:Talk.mp4" caption="A talk on social learning" captions="File:Talk.vtt" />',
        '<Audio src="File:Interview.mp3" caption="An interview" transcript="The first paragraph of what was said." />',
      ])}
      <h3 id="embed">Embed</h3>
      <p>
        A video or recording from YouTube (its privacy-enhanced player), Vimeo or the Internet Archive, by the provider&apos;s id. Readers see
        a button first: nothing is loaded from the provider until they press it. Pictures, audio and video from other sites are not shown
        (no tracking pixels): upload the file instead.
      </p>
      {example(['<Embed provider="archive" id="identifier-of-the-item" title="What the recording is" caption="Optional caption" />'])}
      <p>
        A podcast episode plays from its enclosure: the address of the audio file in the podcast&apos;s feed, on a host this wiki allows
        ({podcastHosts.length > 0 ? podcastHosts.join(", ") : "none at the moment"}). It too is a button until the reader presses it.
      </p>
      {example([`<Embed provider="podcast" id="https://${podcastHosts[0] ?? "podcast-host.example"}/show/episode-50.mp3" title="Episode 50" />`])}

      <h2 id="markdown">Markdown</h2>
      <p>
        Headings (start at <code>##</code>; the page title is the top heading), lists, <strong>bold</strong>, <em>emphasis</em>, block
        quotes, tables, and code in backticks or fenced blocks. Pages with three or more headings get a table of contents.
      </p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </article>
  );
}
