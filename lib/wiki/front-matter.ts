import { parseDocument } from "yaml";
import { z } from "zod";
import { describeTextFault, findTextFault, normalizeNewlines, type TextFault } from "@/lib/text";
import { fieldSpecs, kindSpecs, pageKinds, type KindField, type PageKind } from "./page-kinds";

/*
 * The one module that splits a page's source into front matter and body, and
 * joins them again; it also holds the front matter schema (built from the
 * page-kind registry) and the in-place field edits the editor makes. No server
 * imports: the editor runs it in the browser.
 *
 * Fences. The opening fence is `---` (a language tag after it is read, so that
 * `---js` can be refused by name). The closing fence is `---`, the only one
 * the MDX toolchain knows (remark-frontmatter's yaml fence, mdx-bundler's
 * gray-matter), and it is what this module always writes. YAML's document end
 * marker `...` is also read as a closer, as saves and diffs always have: pages
 * were stored with it, and their bodies must keep meaning what they meant. The
 * compiler never sees the fence either way: it is handed the body alone. A
 * field edit (the editor's form, a rename's new title) rewrites the closer as
 * `---`.
 */

const line = (max: number) => z.string().trim().min(1).max(max);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u, "Tags are letters, digits and hyphens (at most 40).");

export const sourceSchema = z.union([
  line(255),
  z
    .object({
      title: line(300),
      author: line(200).optional(),
      year: z.union([z.number().int(), line(20)]).optional(),
      url: z.string().url().optional(),
    })
    .strict(),
]);

/** A file page's blob: the SHA-256 of its bytes, in lower-case hex. */
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be the SHA-256 of an uploaded file (64 hex digits); upload a file to change it.");

const common = {
  title: line(fieldSpecs.title.max),
  summary: line(fieldSpecs.summary.max),
  tags: z.array(tag).max(20).default([]),
  sources: z.array(sourceSchema).max(50).default([]),
};

const kindSchema = (kind: PageKind) =>
  z
    .object({
      kind: z.literal(kind),
      ...common,
      ...Object.fromEntries(kindSpecs[kind].fields.map((f: KindField) => [f, f === "file" ? sha256Hex : line(fieldSpecs[f].max)])),
    })
    .strict();

/** Front matter per page kind: the common fields, and each kind's own (difference pages: the comparison). */
export const frontMatterSchema = z.discriminatedUnion(
  "kind",
  pageKinds.map(kindSchema) as unknown as [ReturnType<typeof kindSchema>, ...ReturnType<typeof kindSchema>[]],
);

type CommonFields = { title: string; summary: string; tags: string[]; sources: z.infer<typeof sourceSchema>[] };
/** The validated front matter of a page of kind `K`. */
export type FieldsOf<K extends PageKind> = CommonFields & { kind: K } & Record<(typeof kindSpecs)[K]["fields"][number], string>;
export type PageFields = { [K in PageKind]: FieldsOf<K> }[PageKind];
export type DifferenceFields = FieldsOf<"difference">;

export type SourceIssue = { line: number; column: number; message: string; rule: string };

export type SplitSource = {
  /** Raw YAML between the fences, or null when there is none. */
  yaml: string | null;
  /** Language tag after the opening fence (`---js` → "js"). */
  language: string;
  body: string;
  /** Lines before the body, to map body positions to file positions. */
  bodyLineOffset: number;
};

const FENCE = "---";
/** A closing fence line: `---` or `...`, then only spaces or tabs. */
const isCloser = (l: string) => (l.startsWith(FENCE) || l.startsWith("...")) && /^[ \t]*$/.test(l.slice(3));

/**
 * Split front matter from the body without interpreting either (a leading
 * byte order mark is dropped, CRLF becomes LF). One linear scan of lines.
 */
export function splitFrontMatter(source: string): SplitSource {
  const text = normalizeNewlines(source.startsWith("\uFEFF") ? source.slice(1) : source);
  const none = (language: string): SplitSource => ({ yaml: null, language, body: text, bodyLineOffset: 0 });
  const openEnd = text.indexOf("\n");
  if (!text.startsWith(FENCE) || openEnd === -1) return none("");
  const language = text.slice(FENCE.length, openEnd).trim();
  let lines = 1;
  for (let start = openEnd + 1; start <= text.length; lines++) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    if (isCloser(text.slice(start, end))) {
      const bodyStart = nl === -1 ? text.length : nl + 1;
      return { yaml: text.slice(openEnd + 1, start), language, body: text.slice(bodyStart), bodyLineOffset: nl === -1 ? lines : lines + 1 };
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  return none(language);
}

/** A page's source from its front matter YAML and body, with the fences the MDX toolchain reads. */
export function joinFrontMatter(yaml: string, body: string): string {
  return `${FENCE}\n${yaml.endsWith("\n") ? yaml.slice(0, -1) : yaml}\n${FENCE}\n${body}`;
}

/** The YAML of front matter this module may edit in place (no front matter, or `---js`: null). */
function editableYaml(split: SplitSource): string | null {
  return split.yaml !== null && (split.language === "" || split.language.toLowerCase() === "yaml") ? split.yaml : null;
}

/**
 * Parse and validate front matter with a plain YAML parser (no custom tags,
 * no JavaScript engines). Returns fields or issues with line and column.
 */
export function parseFrontMatter(
  source: string,
): { ok: true; fields: PageFields; split: SplitSource } | { ok: false; issues: SourceIssue[]; split: SplitSource } {
  const split = splitFrontMatter(source);
  const fail = (issues: SourceIssue[]) => ({ ok: false as const, issues, split });
  if (split.language !== "" && split.language.toLowerCase() !== "yaml") {
    return fail([
      { line: 1, column: 1, rule: "front-matter-language", message: `Front matter must be YAML; "---${split.language}" is not allowed.` },
    ]);
  }
  if (split.yaml === null) {
    return fail([{ line: 1, column: 1, rule: "front-matter-missing", message: "The page must start with YAML front matter between --- lines (title, kind, summary)." }]);
  }
  const doc = parseDocument(split.yaml, { schema: "core", customTags: [], prettyErrors: true, uniqueKeys: true });
  // Unknown tags (such as !!js/function) are only warnings to the parser; refuse them too.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return fail(
      problems.map((e) => ({
        line: (e.linePos?.[0]?.line ?? 1) + 1,
        column: e.linePos?.[0]?.col ?? 1,
        rule: "front-matter-yaml",
        message: `Front matter is not valid YAML: ${e.message.split("\n")[0]}`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    return fail([{ line: 2, column: 1, rule: "front-matter-yaml", message: `Front matter is not valid YAML: ${(error as Error).message}` }]);
  }
  // The source was checked for control characters, but YAML's escapes ("\r\n", "\0", "\ud800") make them after that:
  // a side's CRLF is one character in a browser's DOM and two in the rendered text (passages' offsets then disagree),
  // and NUL or a lone surrogate cannot be stored.
  const fault = textFaultIn(data);
  if (fault) {
    const key = fault.path[0];
    const line = typeof key === "string" ? lineOfKey(split.yaml, key) : 2;
    return fail([{ line, column: 1, rule: "front-matter-field", message: describeTextFault(`Front matter field "${fault.path.join(".") || "front matter"}"`, fault.fault) }]);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    return fail(
      parsed.error.issues.map((issue) => {
        const key = issue.path[0];
        const line = typeof key === "string" ? lineOfKey(split.yaml!, key) : 2;
        const field = issue.path.join(".") || "front matter";
        return { line, column: 1, rule: "front-matter-field", message: `Front matter field "${field}": ${issue.message}` };
      }),
    );
  }
  return { ok: true, fields: parsed.data as unknown as PageFields, split };
}

/** The first string in parsed YAML (keys included) holding a character no text field accepts (lib/text.ts), with where it is. */
function textFaultIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; fault: TextFault } | null {
  if (typeof value === "string") {
    const fault = findTextFault(value);
    return fault ? { path, fault } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = textFaultIn(item, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = textFaultIn(key, [...path, key]) ?? textFaultIn(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function lineOfKey(yaml: string, key: string): number {
  const index = yaml.split("\n").findIndex((l) => l.startsWith(`${key}:`));
  return index === -1 ? 2 : index + 2;
}

/** Front matter fields as plain values (not validated), or null when there is none or the YAML does not parse. */
export function readFields(source: string): Record<string, unknown> | null {
  const yaml = editableYaml(splitFrontMatter(source));
  if (yaml === null) return null;
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) return null;
  const value = doc.toJS() as unknown;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The source with one front matter field set (or removed when `value` is
 * undefined), keeping the other fields, their order and comments. Returns the
 * source unchanged when its front matter cannot be parsed.
 */
export function setField(source: string, key: string, value: unknown): string {
  const split = splitFrontMatter(source);
  const yaml = editableYaml(split);
  if (yaml === null) return source;
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) return source;
  if (value === undefined) doc.delete(key);
  else doc.set(key, value);
  return joinFrontMatter(doc.toString({ lineWidth: 0 }), split.body);
}

/** The same source with its front matter `title` set to `title` (after a rename). */
export function withTitle(source: string, title: string): string {
  return readFields(source)?.title === title ? source : setField(source, "title", title);
}
