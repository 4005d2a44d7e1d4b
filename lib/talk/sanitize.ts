/**
 * Talk-page post sanitising.
 *
 * Two entry points, because a post exists in two forms:
 *
 * - {@link renderPostSource} turns what the author typed (plain text with
 *   optional tags from the origin blog's allowlist) into HTML. Only
 *   syntactically complete allowlisted tags are markup; every other `<`, `>`
 *   (`<script>`, `<who I also respect>`, `<!-- -->`, a stray `<`) is text and
 *   is shown exactly as typed.
 * - {@link sanitizeHtml} cleans stored HTML (the output of
 *   {@link renderPostSource}, imported posts, or anything else). It is
 *   idempotent: `sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x)`.
 *
 * `sanitizeHtml` runs sanitize-html with `disallowedTagsMode: "escape"`: a tag
 * that is not allowed is written back as text (`&lt;iframe&gt;`), so nothing an
 * author wrote silently disappears and the result is still inert. Its
 * attributes are not echoed, and the contents of raw-text elements
 * (`<script>`, `<style>`, `<xmp>` …) are escaped as text too. Comments,
 * CDATA sections, `<!DOCTYPE>` and processing instructions are dropped.
 * "discard" would have deleted text such as `Kevin Jones <who I also respect>`
 * from an imported pingback without trace, which is why it was not chosen.
 *
 * The module is pure: no I/O, no globals, safe on client and server.
 */
import sanitize from "sanitize-html";
import { isSafeUrl } from "@/lib/mdx/url";
import { hasControl, normalizeNewlines, replaceControls, stripNonXmlChars } from "@/lib/text";

/** Tags a post may contain (the origin blog's XHTML allowlist plus paragraphs and line breaks). */
export const ALLOWED_TAGS = ["a", "abbr", "acronym", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "strike", "strong", "p", "br"] as const;

/** A tag from {@link ALLOWED_TAGS}. */
export type AllowedTag = (typeof ALLOWED_TAGS)[number];

/** Attributes kept per tag; all others (event handlers, `style`, `class`, `id` …) are dropped. */
export const ALLOWED_ATTRIBUTES: Readonly<Partial<Record<AllowedTag, readonly string[]>>> = {
  a: ["href", "title", "rel"],
  abbr: ["title"],
  acronym: ["title"],
  blockquote: ["cite"],
  del: ["datetime"],
  q: ["cite"],
};

/** The `rel` every link gets, replacing whatever the author wrote. */
export const LINK_REL = "nofollow ugc noopener";

/** Longest accepted post source, in characters (Unicode code points). */
export const MAX_POST_CHARS = 20_000;

/** Deepest accepted nesting of allowed tags in a post source. */
export const MAX_TAG_DEPTH = 20;

const ALLOWED_TAG_SET: ReadonlySet<string> = new Set(ALLOWED_TAGS);
const URL_ATTRIBUTES = ["href", "cite"] as const;
// Zero-width characters and BOMs do not make a post non-empty.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * `value` as an absolute `http:`, `https:` or `mailto:` URL with its scheme
 * lower-cased and surrounding whitespace removed, or `null` when it is
 * anything else: another scheme however disguised, protocol-relative,
 * relative, a fragment, or containing control characters.
 */
export function absoluteSafeUrl(value: string): string | null {
  const trimmed = value.trim();
  if (hasControl(trimmed)) return null;
  const match = /^(https?|mailto):/i.exec(trimmed);
  if (match === null || !isSafeUrl(trimmed)) return null;
  const scheme = match[1]!.toLowerCase();
  const url = scheme + trimmed.slice(scheme.length);
  if (scheme === "mailto") return url.length > "mailto:".length ? url : null;
  return /^https?:\/\/[^/\\?#\s]/.test(url) && URL.canParse(url) ? url : null;
}

/** Check an attribute that holds a URL: returns the attributes without it when unsafe. */
function withSafeUrl(attribs: Record<string, string>, name: (typeof URL_ATTRIBUTES)[number]): Record<string, string> {
  const raw = attribs[name];
  if (raw === undefined) return attribs;
  const url = absoluteSafeUrl(raw);
  const rest = { ...attribs };
  if (url === null) delete rest[name];
  else rest[name] = url;
  return rest;
}

const SANITIZE_OPTIONS: sanitize.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]])),
  allowedClasses: {},
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  // Output depth may exceed the source depth by one: the <p> around a paragraph.
  nestingLimit: MAX_TAG_DEPTH + 1,
  transformTags: {
    a: (tagName, attribs) => {
      const checked = withSafeUrl(attribs, "href");
      // Fixed attribute order keeps the output canonical; rel is always ours.
      const out: Record<string, string> = {};
      if (checked.href !== undefined) out.href = checked.href;
      if (checked.title !== undefined) out.title = checked.title;
      out.rel = LINK_REL;
      return { tagName, attribs: out };
    },
    blockquote: (tagName, attribs) => ({ tagName, attribs: withSafeUrl(attribs, "cite") }),
    q: (tagName, attribs) => ({ tagName, attribs: withSafeUrl(attribs, "cite") }),
  },
  // A link that lost (or never had) its href becomes its plain text.
  exclusiveFilter: (frame) => (frame.tag === "a" && !frame.attribs.href ? "excludeTag" : false),
};

/**
 * Sanitise stored post HTML: only {@link ALLOWED_TAGS} with
 * {@link ALLOWED_ATTRIBUTES} survive; `href` and `cite` must be absolute
 * `http:`, `https:` or `mailto:` URLs (checked with `isSafeUrl` after entity,
 * percent and control-character decoding) or they are dropped; a link without
 * a usable `href` becomes plain text; every link gets `rel="nofollow ugc
 * noopener"`. Disallowed tags are escaped so they show as text; comments,
 * CDATA, doctypes and processing instructions are removed. Tags nested deeper
 * than `MAX_TAG_DEPTH + 1` are escaped as text.
 *
 * Idempotent: `sanitizeHtml(sanitizeHtml(x)) === sanitizeHtml(x)`.
 */
export function sanitizeHtml(html: string): string {
  // Character references decode to anything (`&#x1;`): what no page or feed may hold is dropped after.
  return stripNonXmlChars(sanitize(html.replaceAll("\u0000", ""), SANITIZE_OPTIONS));
}

// ---------------------------------------------------------------------------
// Source → HTML

type SourceNode =
  | { kind: "text"; text: string }
  | { kind: "br" }
  | { kind: "paragraph" }
  | { kind: "element"; name: AllowedTag; attrs: [string, string][]; children: SourceNode[] };

type Container = { name: AllowedTag | "#root"; attrs: [string, string][]; children: SourceNode[] };

// One allowlisted-looking tag. Nothing in a tag may contain "<", so a failed
// match never scans past the next "<" and tokenising stays linear.
const TAG = /<(\/?)([A-Za-z]+)((?:\s+[^\s"'<>/=`]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'<>=`]+))?)*)\s*\/?>/y;
const ATTRIBUTE = /([^\s"'<>/=`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?/g;
// A line holding only whitespace separates paragraphs.
const BLANK_LINE = /\n[^\S\n]*\n\s*/;

type ParsedSource = { root: SourceNode[]; depth: number };

/** Split the source into text and allowlisted tags and build a properly nested tree. */
function parseSource(source: string): ParsedSource {
  // C0 controls other than tab and newline, and DEL: never useful in a post.
  const text = replaceControls(normalizeNewlines(source), "", { keepLineBreaks: true });
  const root: Container = { name: "#root", attrs: [], children: [] };
  const stack: Container[] = [root];
  let depth = 0;
  let pending = "";
  let swallowNewline = false;

  const current = () => stack[stack.length - 1]!;
  const flushText = () => {
    if (pending !== "") current().children.push({ kind: "text", text: pending });
    pending = "";
  };
  // Close inline elements up to the nearest block container (root or blockquote).
  const closeInline = () => {
    while (stack.length > 1 && current().name !== "blockquote") stack.pop();
  };
  // Tags opened past the deepest useful level stay text: the tree (and the recursion that renders it) is bounded,
  // while `depth` still tells postProblem how deep the author went.
  let refused = 0;
  const open = (name: AllowedTag, attrs: [string, string][], raw: string) => {
    if (stack.length > MAX_TAG_DEPTH + 1) {
      refused++;
      depth = Math.max(depth, stack.length - 1 + refused);
      pending += raw;
      return;
    }
    const element: SourceNode & { kind: "element" } = { kind: "element", name, attrs, children: [] };
    current().children.push(element);
    stack.push(element);
    depth = Math.max(depth, stack.length - 1);
  };
  const closeNamed = (name: string) => {
    for (let i = stack.length - 1; i > 0; i--) {
      if (stack[i]!.name === name) {
        stack.length = i;
        return;
      }
    }
    // A close tag with nothing open to close is dropped.
  };

  let index = 0;
  while (index < text.length) {
    const lt = text.indexOf("<", index);
    if (lt === -1) {
      pending += text.slice(index);
      break;
    }
    pending += text.slice(index, lt);
    TAG.lastIndex = lt;
    const match = TAG.exec(text);
    const name = match?.[2]?.toLowerCase();
    if (match === null || name === undefined || !ALLOWED_TAG_SET.has(name)) {
      pending += "<";
      index = lt + 1;
      continue;
    }
    if (swallowNewline && pending.startsWith("\n")) pending = pending.slice(1);
    swallowNewline = false;
    flushText();
    index = lt + match[0].length;
    const closing = match[1] === "/";
    const tag = name as AllowedTag;
    if (tag === "br") {
      current().children.push({ kind: "br" });
      // "<br>" followed by a newline is one line break, not two.
      swallowNewline = true;
    } else if (tag === "p") {
      closeInline();
      current().children.push({ kind: "paragraph" });
    } else if (closing) {
      closeNamed(tag);
    } else {
      if (tag === "blockquote") closeInline();
      // Links do not nest: a new <a> closes an open one, as browsers do.
      if (tag === "a" && stack.some((c) => c.name === "a")) closeNamed("a");
      open(tag, parseAttributes(match[3] ?? ""), match[0]);
    }
  }
  if (swallowNewline && pending.startsWith("\n")) pending = pending.slice(1);
  flushText();
  return { root: root.children, depth };
}

function parseAttributes(raw: string): [string, string][] {
  const seen = new Set<string>();
  const attrs: [string, string][] = [];
  for (const m of raw.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (seen.has(name)) continue; // the first of duplicate attributes wins, as in HTML
    seen.add(name);
    attrs.push([name, m[2] ?? m[3] ?? m[4] ?? ""]);
  }
  return attrs;
}

function escapeText(text: string): string {
  // `&` is left alone: character references typed by the author keep their
  // HTML meaning, and sanitize-html re-encodes a bare `&`.
  return text.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function renderAttributes(attrs: [string, string][]): string {
  return attrs.map(([name, value]) => ` ${name}="${value.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}"`).join("");
}

function hasText(nodes: SourceNode[]): boolean {
  return nodes.some((node) =>
    node.kind === "text" ? node.text.replace(INVISIBLE, "").trim() !== "" : node.kind === "element" && hasText(node.children),
  );
}

function renderInline(nodes: SourceNode[]): string {
  let html = "";
  for (const node of nodes) {
    if (node.kind === "text") {
      // Inside inline markup a blank line cannot end the paragraph without
      // breaking the element, so it becomes a double line break.
      html += escapeText(node.text.replace(/\n(?:[^\S\n]*\n)+/g, "\n\n")).replace(/\n/g, "<br />");
    } else if (node.kind === "br") {
      html += "<br />";
    } else if (node.kind === "element") {
      html += `<${node.name}${renderAttributes(node.attrs)}>${renderInline(node.children)}</${node.name}>`;
    }
  }
  return html;
}

/** A run of inline nodes as one <p>, trimmed; empty runs produce nothing. */
function renderParagraph(run: SourceNode[]): string {
  let start = 0;
  let end = run.length;
  const blank = (node: SourceNode | undefined) => node !== undefined && (node.kind === "br" || (node.kind === "text" && node.text.trim() === ""));
  while (start < end && blank(run[start])) start++;
  while (end > start && blank(run[end - 1])) end--;
  const nodes = run.slice(start, end).map((node, i, all): SourceNode => {
    if (node.kind !== "text") return node;
    let text = node.text;
    if (i === 0) text = text.trimStart();
    if (i === all.length - 1) text = text.trimEnd();
    return { kind: "text", text };
  });
  if (!hasText(nodes)) return "";
  return `<p>${renderInline(nodes)}</p>`;
}

/** Block content (the post, or a blockquote's inside) as paragraphs and nested blockquotes. */
function renderFlow(nodes: SourceNode[]): string {
  let html = "";
  let run: SourceNode[] = [];
  const flush = () => {
    html += renderParagraph(run);
    run = [];
  };
  for (const node of nodes) {
    if (node.kind === "paragraph") {
      flush();
    } else if (node.kind === "element" && node.name === "blockquote") {
      flush();
      html += `<blockquote${renderAttributes(node.attrs)}>${renderFlow(node.children)}</blockquote>`;
    } else if (node.kind === "text") {
      const pieces = node.text.split(BLANK_LINE);
      pieces.forEach((piece, i) => {
        if (i > 0) flush();
        if (piece !== "") run.push({ kind: "text", text: piece });
      });
    } else {
      run.push(node);
    }
  }
  flush();
  return html;
}

/**
 * Convert an author's post source to sanitised HTML.
 *
 * - Text is text: only complete tags from {@link ALLOWED_TAGS} are markup
 *   (attribute values may not contain `<`); any other `<…>` is escaped and
 *   shows exactly as typed. Character references (`&amp;`, `&#8217;`) keep
 *   their HTML meaning.
 * - Paragraphs: a blank line (or a `<p>`/`</p>` tag) starts a new `<p>`; a
 *   single newline becomes `<br />` (a newline straight after `<br>` is not
 *   doubled). `<blockquote>` is a block: it ends the current paragraph, and
 *   its own content is split into paragraphs the same way, so no `<p>` ever
 *   contains a blockquote. A blank line inside inline markup (`<b>a\n\nb</b>`)
 *   becomes two `<br />`s rather than splitting the element.
 * - Nesting is repaired: unclosed tags are closed, stray close tags dropped,
 *   inline tags are closed before a blockquote or paragraph break, and links
 *   do not nest.
 * - The result goes through {@link sanitizeHtml}, so it is a fixed point of it.
 *
 * Check {@link postProblem} first; this function renders whatever it is given.
 */
export function renderPostSource(source: string): string {
  return sanitizeHtml(renderFlow(parseSource(source).root));
}

/**
 * Why a post source is refused, as a sentence for the author, or `null` when
 * it is acceptable: empty (nothing visible after trimming, ignoring markup and
 * zero-width characters), longer than {@link MAX_POST_CHARS} characters, or
 * with allowed tags nested deeper than {@link MAX_TAG_DEPTH} (e.g. 300 nested
 * `<b>`).
 */
export function postProblem(source: string): string | null {
  if (source.length > MAX_POST_CHARS) {
    const chars = [...source].length;
    if (chars > MAX_POST_CHARS) return `The post is too long: ${chars.toLocaleString("en")} characters, at most ${MAX_POST_CHARS.toLocaleString("en")} are allowed.`;
  }
  if (source.replace(INVISIBLE, "").trim() === "") return "The post is empty.";
  const { root, depth } = parseSource(source);
  if (depth > MAX_TAG_DEPTH) return `Tags are nested ${depth} deep; at most ${MAX_TAG_DEPTH} levels are allowed.`;
  if (!hasText(root)) return "The post is empty.";
  return null;
}
