import { parseDocument } from "yaml";
import { z } from "zod";
import { pageKinds } from "@/lib/db/schema/pages";
import { readFields, setField } from "./front-matter-edit";

const text = (max: number) => z.string().trim().min(1).max(max);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u, "Tags are letters, digits and hyphens (at most 40).");

export const sourceSchema = z.union([
  text(255),
  z
    .object({
      title: text(300),
      author: text(200).optional(),
      year: z.union([z.number().int(), text(20)]).optional(),
      url: z.string().url().optional(),
    })
    .strict(),
]);

const common = {
  title: text(255),
  summary: text(500),
  tags: z.array(tag).max(20).default([]),
  sources: z.array(sourceSchema).max(50).default([]),
};

/** Front matter per page kind; difference pages carry the comparison fields. */
export const frontMatterSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("difference"),
      ...common,
      dimension: text(120),
      tkm: text(1000),
      sl: text(1000),
    })
    .strict(),
  ...pageKinds
    .filter((k) => k !== "difference")
    .map((k) => z.object({ kind: z.literal(k), ...common }).strict()),
] as unknown as [z.ZodObject<z.ZodRawShape>, ...z.ZodObject<z.ZodRawShape>[]]);

export type DifferenceFields = {
  kind: "difference";
  title: string;
  summary: string;
  tags: string[];
  sources: z.infer<typeof sourceSchema>[];
  dimension: string;
  tkm: string;
  sl: string;
};
export type OtherFields = {
  kind: "concept" | "source" | "article";
  title: string;
  summary: string;
  tags: string[];
  sources: z.infer<typeof sourceSchema>[];
};
export type PageFields = DifferenceFields | OtherFields;

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

/** Split `---` front matter from the MDX body without interpreting either. */
export function splitFrontMatter(source: string): SplitSource {
  const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const open = /^---([^\n]*)\n/.exec(text);
  if (!open) return { yaml: null, language: "", body: text, bodyLineOffset: 0 };
  const rest = text.slice(open[0].length);
  const close = /^(---|\.\.\.)[ \t]*$/m.exec(rest);
  if (!close) return { yaml: null, language: open[1]!.trim(), body: text, bodyLineOffset: 0 };
  const yaml = rest.slice(0, close.index);
  let after = rest.slice(close.index + close[0].length);
  if (after.startsWith("\n")) after = after.slice(1);
  const bodyLineOffset = text.slice(0, text.length - after.length).split("\n").length - 1;
  return { yaml, language: open[1]!.trim(), body: after, bodyLineOffset };
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

function lineOfKey(yaml: string, key: string): number {
  const index = yaml.split("\n").findIndex((l) => l.startsWith(`${key}:`));
  return index === -1 ? 2 : index + 2;
}

/** The same source with its front matter `title` set to `title` (after a rename). */
export function withTitle(source: string, title: string): string {
  return readFields(source)?.title === title ? source : setField(source, "title", title);
}
