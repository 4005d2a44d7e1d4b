import type { Metadata } from "next";
import Link from "next/link";
import { pageKinds } from "@/lib/wiki/page-kinds";

export const metadata: Metadata = { title: "Help: editing pages" };

// Focusable, so keyboard users can scroll examples wider than the screen.
const example = (lines: string[]) => (
  <pre className="example" tabIndex={0}>
    {lines.join("\n")}
  </pre>
);

export default function EditingHelp() {
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
      <h3 id="figure">Figure</h3>
      <p>An image with required alternative text and an optional caption.</p>
      {example(['<Figure src="/images/garden.jpg" alt="A garden bed of young plants" caption="Cuttings grow in context." />'])}
      <h3 id="video">Video and audio</h3>
      <p>Embeds with a caption; audio suits podcasts.</p>
      {example([
        '<Video src="https://media.example.org/talk.mp4" caption="A talk on social learning" />',
        '<Audio src="https://media.example.org/episode-50.mp3" caption="PodCascadia, Episode 50" />',
      ])}

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
