// The allowlist's rules, as pure functions on a body and its tree. They run inside
// the compiler's pipeline (remark-allowlist.ts, pipeline.ts), never on a parse of their own.
import type { Nodes, Root } from "mdast";
import type { Position } from "unist";
import {
  acceptsChildren,
  allowedComponentNames,
  componentSchemas,
  isAllowedComponentName,
  urlProps,
  type ComponentName,
} from "./allowlist";
import { isSafeUrl } from "./url";

/** One problem in an MDX body; `line`/`column` are 1-based. Empty list = valid. */
export type MdxIssue = { line: number; column: number; message: string; rule: string };

/** Largest accepted body, in UTF-8 bytes. */
export const MAX_MDX_BYTES = 256 * 1024;
/** Deepest accepted mdast node (the root is depth 0). */
export const MAX_MDX_DEPTH = 64;
/** At most this many issues are listed; one more issue says how many were left out. */
export const MAX_MDX_ISSUES = 100;

/** The body failed the allowlist; it was not compiled. */
export class MdxValidationError extends Error {
  override name = "MdxValidationError";
  constructor(readonly issues: MdxIssue[]) {
    super(issues.map((i) => `Line ${i.line}, column ${i.column}: ${i.message}`).join("\n"));
  }
}

type JsxElement = Extract<Nodes, { type: "mdxJsxFlowElement" | "mdxJsxTextElement" }>;
type JsxAttribute = JsxElement["attributes"][number];
type Point = { line: number; column: number };
type Report = (at: Point, rule: string, message: string) => void;

const MARKDOWN_NODE_TYPES: ReadonlySet<string> = new Set([
  "root",
  "paragraph",
  "heading",
  "thematicBreak",
  "blockquote",
  "list",
  "listItem",
  "code",
  "inlineCode",
  "text",
  "emphasis",
  "strong",
  "break",
  "delete",
  "table",
  "tableRow",
  "tableCell",
  "footnoteDefinition",
  "footnoteReference",
  "linkReference",
  "imageReference",
]);

const HTML_ELEMENT_HINTS: Readonly<Record<string, string>> = {
  a: "write links as [text](url)",
  img: "use ![alt text](url) or <Figure>",
  video: "use <Video>",
  audio: "use <Audio>",
  blockquote: "start lines with > or use <Quote>",
};

const URL_RULE = "only http:, https:, mailto: and site-relative URLs are allowed";

/**
 * Checks on the source text itself, made before it is parsed: size, a front
 * matter block, and nesting too deep for the parser. Null when none fails.
 */
export function checkSource(body: string): MdxIssue | null {
  const bytes = utf8ByteLength(body);
  if (bytes > MAX_MDX_BYTES) {
    return issue({ line: 1, column: 1 }, "max-size", `The page is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_MDX_BYTES)}. Split it into several pages.`);
  }
  // The file's one front matter block was split off before the body got here; another one is refused
  // rather than read (gray-matter, which mdx-bundler runs on the source, would read it as front matter).
  if (/^\uFEFF?---/.test(body)) {
    return issue({ line: 1, column: 1 }, "front-matter-twice", "The text cannot start with ---: a page has one front matter block, at the very top. Start with a line of text, or write *** for a rule.");
  }
  const deepLine = findDeepLinePrefix(body);
  return deepLine === null ? null : issue(deepLine, "max-depth", tooDeepMessage());
}

/** The first node of a parsed tree deeper than {@link MAX_MDX_DEPTH}, as an issue; null when none is. */
export function checkTreeDepth(tree: Root): MdxIssue | null {
  const deepNode = findTooDeepNode(tree);
  return deepNode === null ? null : issue(deepNode, "max-depth", tooDeepMessage());
}

/**
 * Every node of a (depth-checked) tree the allowlist refuses: import/export,
 * `{expressions}`, JSX expression and spread attributes, HTML elements,
 * fragments, components or props outside the allowlist, children on
 * components that take none, unsafe URLs, raw HTML and comments, front matter.
 * Code blocks and inline code are inert text and may contain anything.
 */
export function checkTree(tree: Root): MdxIssue[] {
  const issues: MdxIssue[] = [];
  checkNode(tree, (at, rule, message) => issues.push(issue(at, rule, message)));
  return issues;
}

/** Issues sorted by position, shifted by `lineOffset` lines, at most {@link MAX_MDX_ISSUES} plus one saying how many more. */
export function finishIssues(found: readonly MdxIssue[], lineOffset = 0): MdxIssue[] {
  const issues = found.map((i) => ({ ...i, line: i.line + lineOffset }));
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.length > MAX_MDX_ISSUES) {
    const left = issues.length - MAX_MDX_ISSUES;
    const last = issues[MAX_MDX_ISSUES - 1]!;
    issues.length = MAX_MDX_ISSUES;
    issues.push({ line: last.line, column: last.column, rule: "too-many-issues", message: `${left} more problem${left === 1 ? "" : "s"} not listed; fix the ones above first.` });
  }
  return issues;
}

function issue(at: Point, rule: string, message: string): MdxIssue {
  return { line: at.line, column: at.column, rule, message };
}

function tooDeepMessage(): string {
  return `Content is nested more than ${MAX_MDX_DEPTH} levels deep (block quotes, lists or components inside each other); flatten it.`;
}

/** Walk the (depth-checked) tree in document order, reporting disallowed nodes. */
function checkNode(node: Nodes, report: Report): void {
  const at = startOf(node.position);
  switch (node.type) {
    case "mdxjsEsm": {
      const keyword = /^\s*export\b/.test(node.value) ? "export" : "import";
      report(at, "no-esm", `\`${keyword}\` statements are not allowed; pages cannot run code.`);
      return;
    }
    case "mdxFlowExpression":
    case "mdxTextExpression":
      report(at, "no-expression", expressionMessage(node.value));
      return;
    case "mdxJsxFlowElement":
    case "mdxJsxTextElement":
      checkJsxElement(node, report);
      break;
    case "link":
      checkUrl(node.url, "link", at, report);
      break;
    case "image":
      checkUrl(node.url, "image", at, report);
      break;
    case "definition":
      checkUrl(node.url, "link reference definition", at, report);
      break;
    case "yaml":
      report(at, "front-matter-twice", "A page has one front matter block, at the very top of the file.");
      return;
    case "html":
      report(at, "no-html", /^\s*<!--/.test(node.value) ? htmlCommentMessage() : "Raw HTML is not allowed; use Markdown or one of the wiki components.");
      return;
    default:
      if (!MARKDOWN_NODE_TYPES.has(node.type)) {
        report(at, "unsupported-syntax", `Unsupported syntax (${node.type}).`);
        return;
      }
  }
  if ("children" in node) for (const child of node.children) checkNode(child, report);
}

function checkUrl(url: string, kind: string, at: Point, report: Report): void {
  if (isSafeUrl(url)) return;
  report(at, "unsafe-url", url.trim() === "" ? `The ${kind} has an empty URL.` : `Unsafe ${kind} URL ${code(url)}: ${URL_RULE}.`);
}

function checkJsxElement(node: JsxElement, report: Report): void {
  const at = startOf(node.position);
  const name = node.name;
  for (const attribute of node.attributes) {
    if (attribute.type === "mdxJsxExpressionAttribute") {
      report(startOf(attribute.position ?? node.position), "no-spread-attribute", `Spread attributes like ${code(`{${attribute.value}}`)} on \`<${name ?? ""}>\` are not allowed; write each prop as name="value".`);
    } else if (attribute.value !== null && typeof attribute.value === "object") {
      report(startOf(attribute.position ?? node.position), "no-attribute-expression", `Prop \`${attribute.name}\` of \`<${name ?? ""}>\` uses an expression ${code(`{${attribute.value.value}}`)}; only quoted strings are allowed, e.g. ${attribute.name}="…".`);
    }
  }

  if (name === null) {
    report(at, "no-fragment", "Fragments (`<>…</>`) are not allowed; remove the `<>` and `</>`.");
    return;
  }
  if (/[.:]/.test(name)) {
    report(at, "no-html-element", `\`<${name}>\` is not allowed: element names with \`.\` or \`:\` are not supported. ${componentList()}`);
    return;
  }
  if (/^[a-z]/.test(name)) {
    const capitalised = name.charAt(0).toUpperCase() + name.slice(1);
    const hint = isAllowedComponentName(capitalised) ? `did you mean \`<${capitalised}>\`?` : `${HTML_ELEMENT_HINTS[name] ?? "use Markdown instead"}.`;
    report(at, "no-html-element", `HTML element \`<${name}>\` is not allowed; ${hint} ${componentList()}`);
    return;
  }
  if (!isAllowedComponentName(name)) {
    report(at, "unknown-component", `Unknown component \`<${name}>\`. ${componentList()}`);
    return;
  }
  checkProps(name, node, report);
  if (!acceptsChildren[name] && node.children.some((child) => !(child.type === "text" && child.value.trim() === ""))) {
    report(at, "no-children", `\`<${name}>\` does not take content between its tags; write it as \`<${name} … />\` and put text in its props.`);
  }
}

function checkProps(name: ComponentName, node: JsxElement, report: Report): void {
  const schema = componentSchemas[name];
  const known = Object.keys(schema.shape);
  // No prototype, so `__proto__` or `constructor` props are plain (unknown) keys.
  const props: Record<string, string> = Object.create(null) as Record<string, string>;
  const flagged = new Set<string>();
  const attributeAt = new Map<string, JsxAttribute>();
  for (const attribute of node.attributes) {
    if (attribute.type !== "mdxJsxAttribute") continue;
    const key = attribute.name;
    const at = startOf(attribute.position ?? node.position);
    if (attributeAt.has(key)) {
      report(at, "invalid-prop", `Prop \`${key}\` is given more than once on \`<${name}>\`.`);
      continue;
    }
    attributeAt.set(key, attribute);
    if (typeof attribute.value === "string") {
      props[key] = attribute.value;
    } else {
      flagged.add(key);
      if (attribute.value === null && known.includes(key)) {
        report(at, "invalid-prop", `Prop \`${key}\` on \`<${name}>\` has no value; write ${key}="…".`);
      } else if (attribute.value === null) {
        report(at, "unknown-prop", unknownPropMessage(name, key, known));
      }
    }
  }

  const result = schema.safeParse(props);
  if (result.success) return;
  const urls = urlProps[name] as readonly string[];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        report(startOf(attributeAt.get(key)?.position ?? node.position), "unknown-prop", unknownPropMessage(name, key, known));
      }
      continue;
    }
    const key = String(issue.path[0] ?? "");
    if (flagged.has(key)) continue;
    const at = startOf(attributeAt.get(key)?.position ?? node.position);
    if (!Object.hasOwn(props, key)) {
      report(at, "missing-prop", `\`<${name}>\` is missing the required prop \`${key}\`.`);
    } else if ((issue.code === "custom" || (issue.code === "invalid_union" && !(props[key] ?? "").startsWith("File:"))) && urls.includes(key)) {
      report(at, "unsafe-url", `Unsafe URL in \`${key}\` of \`<${name}>\`: ${code(props[key] ?? "")}; ${URL_RULE}.`);
    } else {
      report(at, "invalid-prop", `Invalid \`${key}\` on \`<${name}>\`: ${issue.message}.`);
    }
  }
}

function unknownPropMessage(name: string, key: string, known: readonly string[]): string {
  const list = known.length === 0 ? "it takes none" : `its props are ${known.map((k) => `\`${k}\``).join(", ")}`;
  return `\`<${name}>\` has no prop \`${key}\`; ${list}.`;
}

function componentList(): string {
  return `Allowed components: ${allowedComponentNames.map((n) => `<${n}>`).join(", ")}.`;
}

function expressionMessage(value: string): string {
  if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(value)) return "MDX comments (`{/* … */}`) are not allowed; delete the comment.";
  return `JavaScript expressions like ${code(`{${value}}`)} are not allowed. To write a literal brace, escape it as \`\\{\`.`;
}

function htmlCommentMessage(): string {
  return "HTML comments are not allowed; delete the comment (MDX `{/* */}` comments are not allowed either).";
}

/** A parser exception as one readable issue (positions quoted in its message get `lineOffset`; its line does not). */
export function describeParseError(error: unknown, body: string, lineOffset: number): MdxIssue {
  const { at, rule, message } = describeParseFailure(error, body, lineOffset);
  return issue(at, rule, message);
}

function describeParseFailure(error: unknown, body: string, lineOffset: number): { at: Point; rule: string; message: string } {
  if (error instanceof RangeError) return { at: { line: 1, column: 1 }, rule: "max-depth", message: tooDeepMessage() };
  if (typeof error !== "object" || error === null || typeof (error as { reason?: unknown }).reason !== "string") {
    const text = error instanceof Error ? error.message : String(error);
    return { at: { line: 1, column: 1 }, rule: "mdx-syntax", message: `The page could not be parsed: ${text}` };
  }
  const { reason, line, column, source, ruleId } = error as { reason: string; line?: unknown; column?: unknown; source?: unknown; ruleId?: unknown };
  const inReason = /\((\d+):(\d+)-\d+:\d+\)/.exec(reason);
  const at: Point =
    typeof line === "number" && typeof column === "number"
      ? { line, column }
      : inReason
        ? { line: Number(inReason[1]), column: Number(inReason[2]) }
        : { line: 1, column: 1 };
  const offset = offsetOf(body, at);

  if (source === "micromark-extension-mdx-jsx") {
    const html = describeAngleBracket(body, offset);
    if (html !== null) return html;
  }

  const readable = reason
    .replace(/\s*\(note: to create a comment in MDX, use `\{\/\* text \*\/\}`\)/, "")
    .replace(/\((\d+):(\d+)-\d+:\d+\)/g, (_, l: string, c: string) => `(line ${Number(l) + lineOffset}, column ${c})`);
  if (source === "micromark-extension-mdxjs-esm") {
    return { at: esmStart(body, at), rule: "no-esm", message: "Lines starting with `import` or `export` are read as JavaScript, which is not allowed (and this is not valid JavaScript either); reword the line." };
  }
  if (source === "micromark-extension-mdx-expression") {
    const what = ruleId === "unexpected-eof" ? "A `{` is never closed" : "A `{…}` is not valid JavaScript";
    return { at, rule: "mdx-syntax", message: `${what}; JavaScript expressions are not allowed anyway. To write a literal brace, escape it as \`\\{\`.` };
  }
  const unclosed = /^Expected a closing tag for `<([^`>]*)>` \([^)]*\)(?: before the end of `([^`]+)`)?/.exec(reason);
  if (unclosed) {
    const where = unclosed[2] ? ` before the end of the ${unclosed[2]}` : "";
    return { at, rule: "mdx-syntax", message: `\`<${unclosed[1]}>\` is not closed${where}; add \`</${unclosed[1]}>\` (or end the tag with \`/>\` if it has no content).` };
  }
  if (source === "micromark-extension-mdx-jsx") {
    return { at, rule: "mdx-syntax", message: `Malformed tag: ${readable}. To write a literal \`<\`, escape it as \`\\<\`.` };
  }
  return { at, rule: "mdx-syntax", message: `Malformed MDX: ${readable}.` };
}

/** The line where the `import`/`export` block holding `at` begins (acorn reports where it gave up). */
function esmStart(body: string, at: Point): Point {
  const lines = body.split(/\r\n?|\n/, at.line);
  for (let line = Math.min(at.line, lines.length); line >= 1; line--) {
    if (/^(?:import|export)\b/.test(lines[line - 1]!)) return { line, column: 1 };
  }
  return at;
}

/** Comments, `<!…>`/`<?…>` and autolinks fail to parse as JSX; name them instead. */
function describeAngleBracket(body: string, offset: number): { at: Point; rule: string; message: string } | null {
  const lineStart = Math.max(body.lastIndexOf("\n", offset - 1), body.lastIndexOf("\r", offset - 1)) + 1;
  const lt = body.lastIndexOf("<", offset);
  if (lt < lineStart) return null;
  const tail = body.slice(lt, lt + MAX_AUTOLINK_LENGTH);
  const at = pointAt(body, lt);
  if (tail.startsWith("<!--")) return { at, rule: "no-html", message: htmlCommentMessage() };
  if (/^<[!?]/.test(tail)) return { at, rule: "no-html", message: "Raw HTML (`<!…>`, `<?…>`) is not allowed; use Markdown or one of the wiki components." };
  const autolink = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/.exec(tail) ?? /^<([^\s@<>]+@[^\s@<>]+)>/.exec(tail);
  if (autolink === null) return null;
  const target = autolink[1]!;
  if (target.includes(":") && !isSafeUrl(target)) {
    return { at, rule: "unsafe-url", message: `Unsafe autolink URL ${code(target)}: ${URL_RULE}.` };
  }
  return { at, rule: "no-autolink", message: `Autolinks like ${code(`<${target}>`)} are not supported in MDX; write [text](${target.includes(":") ? "" : "mailto:"}${target}) instead.` };
}

const MAX_AUTOLINK_LENGTH = 2048;

/** Pre-parse depth estimate per line: `>` counts 1, a list marker 2, each 2 columns of extra indent 1. */
function findDeepLinePrefix(body: string): Point | null {
  let line = 1;
  let start = 0;
  while (start <= body.length) {
    let end = start;
    while (end < body.length && body.charCodeAt(end) !== 10 && body.charCodeAt(end) !== 13) end++;
    const column = deepPrefixColumn(body, start, end);
    if (column > 0) return { line, column };
    if (body.charCodeAt(end) === 13 && body.charCodeAt(end + 1) === 10) end++;
    start = end + 1;
    line++;
  }
  return null;
}

/** 1-based column where the line's container prefix exceeds the depth limit, or 0. */
function deepPrefixColumn(body: string, start: number, end: number): number {
  const isGap = (i: number) => i >= end || body.charCodeAt(i) === 32 || body.charCodeAt(i) === 9;
  let i = start;
  let quotes = 0;
  let lists = 0;
  let ordered = false;
  let bullet = 0;
  let mixedBullets = false;
  let whitespace = 0;
  let crossedAt = 0;
  while (i < end) {
    const c = body.charCodeAt(i);
    if (c === 32 || c === 9) {
      whitespace += c === 9 ? 4 : 1;
      i++;
      continue;
    }
    if (c === 62) {
      quotes++;
      i++;
    } else if ((c === 45 || c === 42 || c === 43) && isGap(i + 1)) {
      if (bullet !== 0 && bullet !== c) mixedBullets = true;
      bullet = c;
      lists++;
      i++;
    } else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < end && j - i < 9 && body.charCodeAt(j) >= 48 && body.charCodeAt(j) <= 57) j++;
      const delimiter = body.charCodeAt(j);
      if (!((delimiter === 46 || delimiter === 41) && isGap(j + 1))) break;
      ordered = true;
      lists++;
      i = j + 1;
    } else {
      break;
    }
    const depth = quotes + 2 * lists + Math.floor(Math.max(0, whitespace - quotes - lists) / 2);
    if (crossedAt === 0 && depth > MAX_MDX_DEPTH) crossedAt = i - start;
  }
  if (crossedAt === 0) return 0;
  // A line of only `- - -` or `* * *` is a thematic break, not nested lists.
  const thematicBreak = i >= end && !ordered && !mixedBullets && lists >= 3 && bullet !== 43;
  if (!thematicBreak) return crossedAt;
  const depth = quotes + Math.floor(Math.max(0, whitespace - quotes - lists) / 2);
  return depth > MAX_MDX_DEPTH ? 1 : 0;
}

/** Iteratively find the first node deeper than the limit (the parser's tree may be deep). */
function findTooDeepNode(tree: Root): Point | null {
  const stack: { node: Nodes; depth: number }[] = [{ node: tree, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_MDX_DEPTH) return startOf(node.position);
    if ("children" in node) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: depth + 1 });
    }
  }
  return null;
}

function startOf(position: Position | undefined): Point {
  return position ? { line: position.start.line, column: position.start.column } : { line: 1, column: 1 };
}

function offsetOf(body: string, at: Point): number {
  let offset = 0;
  for (let line = 1; line < at.line; line++) {
    const next = body.indexOf("\n", offset);
    if (next === -1) return body.length;
    offset = next + 1;
  }
  return Math.min(body.length, offset + Math.max(0, at.column - 1));
}

function pointAt(body: string, offset: number): Point {
  let line = 1;
  let lineStart = 0;
  for (let i = body.indexOf("\n"); i !== -1 && i < offset; i = body.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** A value shown inside a message: control characters escaped, backticks replaced, long values cut. */
function code(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}…` : value;
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  const escaped = shown.replace(/`/g, "'").replace(/[\u0000-\u001F\u007F-\u009F]/g, (c) => {
    const known: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };
    return known[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `\`${escaped}\``;
}
