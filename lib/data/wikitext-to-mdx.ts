import Parser from "wikiparser-node";
import { stringify } from "yaml";

/**
 * Wikitext → MDX, on wikiparser-node's syntax tree (a maintained parser of
 * MediaWiki markup; never regexes over the page). Converted: headings, bold and
 * italics, internal links (main namespace, as [[wiki links]]), external links,
 * lists, tables (as GFM tables), <ref> (into the page's sources, a [n] marker
 * left in the text), categories (into tags), <nowiki>, <pre>, comments (dropped)
 * and inline HTML tags (their content kept). Everything else, templates and
 * parser functions first, is kept as it was in a fenced ```wikitext block, so
 * nothing is lost silently, and counted in `unconverted` for the import report.
 */

export type Conversion = {
  mdx: string;
  tags: string[];
  sources: { title: string; url?: string }[];
  /** What was kept in fenced blocks, by construct ("template Infobox", "parser function #if"), with counts. */
  unconverted: Map<string, number>;
};

type Node = { type: string; name?: string; data?: string; level?: number; closing?: boolean; childNodes: Node[]; toString(): string };

const MAX_SUMMARY = 500;
const MAX_TITLE = 255;
const MAX_TAGS = 20;
const MAX_SOURCES = 50;
/** Namespaces whose links are not to pages of this wiki (their text is kept, the link is not). */
const OTHER_NAMESPACES = new Set(["talk", "user", "user talk", "project", "file", "image", "mediawiki", "template", "help", "category", "special", "media", "module", "draft"]);

function escapeText(text: string, lineStart: boolean): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const atStart = i === 0 ? lineStart : text[i - 1] === "\n";
    if ("\\{}<>*_[]`|~".includes(ch)) out += `\\${ch}`;
    else if (atStart && (ch === "#" || ch === "+" || ch === "-" || ch === "=")) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function fence(source: string): string {
  let longest = 0;
  let run = 0;
  for (const ch of source) {
    run = ch === "`" ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const ticks = "`".repeat(Math.max(3, longest + 1));
  return `\n\n${ticks}wikitext\n${source}\n${ticks}\n\n`;
}

function isHttpUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(url);
}

/** A category name as a tag: letters, digits and hyphens, at most 40 (lib/wiki/front-matter.ts). */
export function categoryTag(name: string): string | null {
  let out = "";
  for (const ch of name.toLowerCase().normalize("NFC")) {
    if (/[\p{L}\p{N}]/u.test(ch)) out += ch;
    else if ((ch === " " || ch === "_" || ch === "-") && out !== "" && !out.endsWith("-")) out += "-";
  }
  out = out.replace(/-+$/, "").slice(0, 40).replace(/-+$/, "");
  return out === "" ? null : out;
}

class Converter {
  tags: string[] = [];
  sources: { title: string; url?: string }[] = [];
  private refNames = new Map<string, number>();
  unconverted = new Map<string, number>();
  private out = "";

  constructor(private readonly namespaces: Set<string>) {}

  private keep(what: string, node: Node): void {
    this.unconverted.set(what, (this.unconverted.get(what) ?? 0) + 1);
    this.out += fence(String(node));
  }

  private atLineStart(): boolean {
    return this.out === "" || this.out.endsWith("\n");
  }

  private emitText(text: string): void {
    this.out += escapeText(text, this.atLineStart());
  }

  /** Plain text of a subtree (for sources, table cells' fallbacks). */
  static plain(node: Node): string {
    if (node.type === "text") return node.data ?? "";
    if (node.type === "quote" || node.type === "comment") return "";
    if (node.type === "ext-link-url" && node.childNodes.length > 0) return "";
    return node.childNodes.map((c) => Converter.plain(c)).join("");
  }

  private static firstUrl(node: Node): string | undefined {
    if (node.type === "ext-link-url" || node.type === "free-ext-link") return String(node).trim();
    for (const c of node.childNodes) {
      const url = Converter.firstUrl(c);
      if (url) return url;
    }
    return undefined;
  }

  private isOtherNamespace(target: string): boolean {
    const colon = target.indexOf(":");
    if (colon <= 0) return false;
    const prefix = target.slice(0, colon).trim().replace(/_/g, " ").toLowerCase();
    return OTHER_NAMESPACES.has(prefix) || this.namespaces.has(prefix);
  }

  inline(nodes: Node[]): string {
    const saved = this.out;
    this.out = "";
    this.walk(nodes);
    const result = this.out;
    this.out = saved;
    return result;
  }

  walk(nodes: Node[]): void {
    for (const node of nodes) this.visit(node);
  }

  private visit(node: Node): void {
    switch (node.type) {
      case "text":
        this.emitText(node.data ?? "");
        return;
      case "comment":
      case "noinclude":
      case "include":
        return;
      case "quote": {
        const marks = String(node).length;
        this.out += marks >= 5 ? "***" : marks === 3 ? "**" : "*";
        return;
      }
      case "heading": {
        const title = node.childNodes.find((c) => c.type === "heading-title");
        const text = this.inline(title?.childNodes ?? []).trim();
        if (!this.atLineStart()) this.out += "\n";
        this.out += `\n${"#".repeat(Math.min(6, Math.max(2, node.level ?? 2)))} ${text}\n`;
        return;
      }
      case "list": {
        const marker = String(node).trim();
        const depth = Math.max(0, marker.length - 1);
        const last = marker.at(-1);
        if (!this.atLineStart()) this.out += "\n";
        const indent = "   ".repeat(depth);
        if (last === "*") this.out += `${indent}- `;
        else if (last === "#") this.out += `${indent}1. `;
        else if (last === ";") this.out += indent;
        else this.out += indent;
        return;
      }
      case "link": {
        const target = Converter.plain(node.childNodes.find((c) => c.type === "link-target") ?? { type: "", childNodes: [] }).trim();
        const textNode = node.childNodes.find((c) => c.type === "link-text");
        const label = textNode ? this.inline(textNode.childNodes).trim() : "";
        if (target.startsWith(":") || this.isOtherNamespace(target) || target === "" || target.includes("#") || /[[\]{}|<>]/.test(target)) {
          if (label) this.out += label;
          else this.emitText(target.replace(/^:/, ""));
          return;
        }
        const plainLabel = textNode ? Converter.plain(textNode).trim() : "";
        this.out += plainLabel && plainLabel !== target && !/[[\]|]/.test(plainLabel) ? `[[${target}|${plainLabel}]]` : `[[${target}]]`;
        return;
      }
      case "category": {
        const name = (node.name ?? "").replace(/^[^:]*:/, "").replace(/_/g, " ");
        const tag = categoryTag(name);
        if (tag && !this.tags.includes(tag) && this.tags.length < MAX_TAGS) this.tags.push(tag);
        return;
      }
      case "ext-link": {
        const url = String(node.childNodes.find((c) => c.type === "ext-link-url") ?? "").trim();
        const textNode = node.childNodes.find((c) => c.type === "ext-link-text");
        const label = textNode ? this.inline(textNode.childNodes).trim() : "";
        if (!isHttpUrl(url)) {
          this.emitText(label || url);
          return;
        }
        this.out += `[${label || escapeText(url, false)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
        return;
      }
      case "free-ext-link":
      case "magic-link": {
        const url = String(node);
        if (isHttpUrl(url)) this.out += `[${escapeText(url, false)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
        else this.emitText(url);
        return;
      }
      case "table":
        this.table(node);
        return;
      case "html": {
        if (node.name === "br") this.out += "\n";
        return;
      }
      case "ext":
        this.extension(node);
        return;
      case "template":
        this.keep(`template ${(node.name ?? "").replace(/^Template:/, "").replace(/_/g, " ")}`, node);
        return;
      case "magic-word":
        this.keep(`parser function ${String(node.childNodes.find((c) => c.type === "magic-word-name") ?? node.name ?? "").trim()}`, node);
        return;
      case "hr":
        this.out += "\n\n---\n\n";
        return;
      default:
        this.keep(node.type, node);
    }
  }

  private extension(node: Node): void {
    const inner = node.childNodes.find((c) => c.type === "ext-inner");
    switch (node.name) {
      case "ref": {
        const attrs = node.childNodes.find((c) => c.type === "ext-attrs");
        const name = attrs?.childNodes.find((c) => c.type === "ext-attr" && c.name === "name");
        const refName = name ? Converter.plain(name.childNodes.find((c) => c.type === "attr-value") ?? { type: "", childNodes: [] }).trim() : "";
        const existing = refName ? this.refNames.get(refName) : undefined;
        if (existing !== undefined) {
          this.out += `\\[${existing}\\]`;
          return;
        }
        const text = inner ? Converter.plain(inner).replace(/\s+/g, " ").trim() : "";
        const url = inner ? Converter.firstUrl(inner) : undefined;
        if (!text && !url) return;
        if (this.sources.length >= MAX_SOURCES) {
          this.keep("reference beyond the 50th", node);
          return;
        }
        const source: { title: string; url?: string } = { title: (text || url!).slice(0, 300) };
        if (url && isHttpUrl(url)) source.url = url;
        this.sources.push(source);
        const n = this.sources.length;
        if (refName) this.refNames.set(refName, n);
        this.out += `\\[${n}\\]`;
        return;
      }
      case "references":
        return;
      case "nowiki":
        this.emitText(inner ? String(inner) : "");
        return;
      case "pre": {
        const code = inner ? String(inner) : "";
        this.out += fence(code).replace("wikitext", "");
        return;
      }
      default:
        this.keep(`<${node.name ?? "extension"}>`, node);
    }
  }

  private table(node: Node): void {
    const rows: string[][] = [];
    let current: string[] = [];
    const cell = (td: Node) => {
      const inner = td.childNodes.find((c) => c.type === "td-inner");
      current.push(
        this.inline(inner?.childNodes ?? [])
          .replace(/\n+/g, " ")
          .trim(),
      );
    };
    for (const child of node.childNodes) {
      if (child.type === "td") cell(child);
      else if (child.type === "tr") {
        if (current.length > 0) rows.push(current);
        current = [];
        for (const c of child.childNodes) if (c.type === "td") cell(c);
      } else if (child.type !== "table-syntax" && child.type !== "table-attrs" && child.type !== "text") {
        this.keep(`table part ${child.type}`, child);
      }
    }
    if (current.length > 0) rows.push(current);
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.length));
    const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? "").join(" | ")} |`;
    if (!this.atLineStart()) this.out += "\n";
    this.out += `\n${line(rows[0]!)}\n| ${Array.from({ length: width }, () => "---").join(" | ")} |\n${rows.slice(1).map(line).join("\n")}\n\n`;
  }

  result(): string {
    return this.out;
  }
}

/** The first sentence of a converted body, as plain as can be, for the page's summary. */
function summaryOf(body: string, fallback: string): string {
  let inFence = false;
  const lines = body.split("\n").filter((l) => {
    if (l.startsWith("```")) {
      inFence = !inFence;
      return false;
    }
    return !inFence && l.trim() !== "" && !/^(#|\||-|\d+\.|>)/.test(l.trim());
  });
  // Only the start of the line is looked at: the replacements below stay linear in a bounded text.
  const first = (lines[0] ?? "")
    .slice(0, 2 * MAX_SUMMARY).replace(/\\([\\{}<>*_[\]`|~#+=-])/g, "$1").replace(/\*+/g, "").replace(/\[\[([^\]|]*\|)?([^\]]*)\]\]/g, "$2").trim();
  const sentence = first.split(/(?<=[.!?])\s/)[0] ?? "";
  const cut = sentence.length > MAX_SUMMARY ? `${sentence.slice(0, MAX_SUMMARY - 1).trimEnd()}…` : sentence;
  return cut || fallback;
}

/** Convert one revision's wikitext to the full MDX source of a page titled `title`. */
export function wikitextToMdx(wikitext: string, title: string, options: { namespaces?: Iterable<string> } = {}): Conversion {
  const root = Parser.parse(wikitext) as unknown as Node;
  const converter = new Converter(new Set([...(options.namespaces ?? [])].map((n) => n.toLowerCase())));
  converter.walk(root.childNodes);
  const body = `${converter
    .result()
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
  const front: Record<string, unknown> = {
    title: title.slice(0, MAX_TITLE),
    kind: "article",
    summary: summaryOf(body, "Imported from MediaWiki."),
    tags: converter.tags,
    sources: converter.sources,
  };
  return { mdx: `---\n${stringify(front, { lineWidth: 0 })}---\n\n${body}`, tags: converter.tags, sources: converter.sources, unconverted: converter.unconverted };
}
