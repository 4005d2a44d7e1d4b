/**
 * The page kinds, each kind's front matter fields, their labels as people see
 * them and their weights in search: the one place that names them. The front
 * matter schema, the editor, new-page templates, the page view, the overview
 * matrix and the search vector all read from here. Plain data (no server
 * imports): the editor runs it in the browser.
 */

import { pageKinds, type PageKind } from "@/lib/db/schema/page-kinds";

export { pageKinds, type PageKind };

/** Postgres text-search weights, A (highest) to D. */
export type SearchWeight = "A" | "B" | "C" | "D";

/** Where a page's words sit in its search vector: the title above its fields, the fields above its body. */
export const searchWeights = { title: "A", body: "C" } as const satisfies Record<string, SearchWeight>;

type FieldSpec = {
  /** The field's name as people see it: form labels, error messages. */
  label: string;
  /** A shorter name, where space is tight (diffs: "SL side changed"). */
  shortLabel: string;
  /** A text field's length limit, in characters. */
  max?: number;
  /** Rows of the editor's text box. */
  rows?: number;
  /** What a new page's template puts there (the page title when null). */
  starter?: string | null;
  /** Its words' weight in the search vector; absent when it is not indexed. */
  searchWeight?: SearchWeight;
};

/** Every front matter field, in the order they are written, compared and indexed. */
export const fieldSpecs = {
  title: { label: "Title", shortLabel: "Title", max: 255 },
  kind: { label: "Kind", shortLabel: "Kind" },
  summary: { label: "Summary", shortLabel: "Summary", max: 500, rows: 3, starter: "One sentence that sums this page up.", searchWeight: "B" },
  dimension: { label: "Dimension", shortLabel: "Dimension", max: 120, rows: 1, starter: null, searchWeight: "B" },
  tkm: {
    label: "Traditional knowledge management side",
    shortLabel: "TKM side",
    max: 1000,
    rows: 3,
    starter: "How traditional knowledge management handles this.",
    searchWeight: "B",
  },
  sl: { label: "Social learning side", shortLabel: "SL side", max: 1000, rows: 3, starter: "How social learning handles this.", searchWeight: "B" },
  file: { label: "File (SHA-256 of its bytes)", shortLabel: "File", max: 64, starter: null },
  licence: { label: "Licence", shortLabel: "Licence", max: 200, rows: 1, starter: "Not stated", searchWeight: "B" },
  source: { label: "Source (where the file comes from)", shortLabel: "Source", max: 500, rows: 1, starter: "Not stated", searchWeight: "B" },
  tags: { label: "Tags", shortLabel: "Tags", searchWeight: "B" },
  sources: { label: "Sources", shortLabel: "Sources" },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof fieldSpecs;
/** The fields every kind has. */
export const commonFields = ["title", "kind", "summary", "tags", "sources"] as const satisfies readonly FieldName[];
/** Fields a kind may add: one line of text each. */
export type KindField = "dimension" | "tkm" | "sl" | "file" | "licence" | "source";

/** The two sides every difference page compares, as headings over each side (page view, overview matrix). */
export const sides = {
  tkm: "Traditional knowledge management",
  sl: "Social learning",
} as const satisfies Partial<Record<KindField, string>>;

type KindSpec = {
  /** The kind as people see it ("Difference"). */
  label: string;
  /** Fields this kind has besides the common ones; all required. */
  fields: readonly KindField[];
  /** The editor's form for this kind: its legend and the text fields in it (tags and sources follow); none when empty. */
  form: { legend: string; fields: readonly (KindField | "summary")[] } | null;
};

export const kindSpecs = {
  difference: {
    label: "Difference",
    fields: ["dimension", "tkm", "sl"],
    form: { legend: "Comparison", fields: ["dimension", "tkm", "sl", "summary"] },
  },
  concept: { label: "Concept", fields: [], form: null },
  source: { label: "Source", fields: [], form: null },
  article: { label: "Article", fields: [], form: null },
  // A File: page (lib/media/): made by an upload, which sets `file`; the editor changes the rest.
  file: { label: "File", fields: ["file", "licence", "source"], form: { legend: "File", fields: ["licence", "source", "summary"] } },
} as const satisfies Record<PageKind, KindSpec>;

/** The kinds a page can be started as in the editor: a file page is made by uploading its file. */
export const creatableKinds: readonly PageKind[] = pageKinds.filter((kind) => kind !== "file");

/** The kind named by untrusted text (a query parameter, a stored row), or undefined. */
export function asPageKind(value: unknown): PageKind | undefined {
  return pageKinds.find((k) => k === value);
}

/** The kind as people see it; unknown kinds as they are. */
export function kindLabel(kind: string): string {
  const k = asPageKind(kind);
  return k ? kindSpecs[k].label : kind;
}

/**
 * A page's indexed field text grouped by search weight, fields in their
 * registry order (lists joined by spaces). Reads the validated fields.
 */
export function searchableFields(fields: Readonly<Record<string, unknown>>): { weight: SearchWeight; text: string }[] {
  const groups = new Map<SearchWeight, string[]>();
  for (const [name, spec] of Object.entries(fieldSpecs) as [FieldName, FieldSpec][]) {
    if (!spec.searchWeight) continue;
    const value = fields[name];
    const words = typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
    if (words.length === 0) continue;
    const group = groups.get(spec.searchWeight) ?? [];
    group.push(...words);
    groups.set(spec.searchWeight, group);
  }
  // A visible separator: snippets show this text, and tags or fields must not run into each other.
  return [...groups].map(([weight, words]) => ({ weight, text: words.join(" · ") }));
}
