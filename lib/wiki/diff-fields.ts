/** Structured field changes: the front matter of both revisions, compared field by field. */
import { parse as parseYaml } from "yaml";
import type { FieldChange } from "./diff-model";
import { splitFrontMatter } from "./front-matter";
import { fieldSpecs } from "./page-kinds";

const MAX_FRONT_MATTER_CHARS = 64 * 1024;

// The registry's short labels, in its order (title, kind, summary, dimension, tkm, sl, tags, sources).
const FIELD_LABELS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(fieldSpecs).map(([field, spec]) => [field, spec.shortLabel]));

/**
 * Structured front-matter changes, in a stable order (title, kind, summary,
 * dimension, tkm, sl, tags, sources, then other keys). Values are compared
 * deeply; unchanged fields are absent; a missing field is `undefined`.
 */
export function diffFields(oldFields: Record<string, unknown>, newFields: Record<string, unknown>): FieldChange[] {
  const keys = new Set<string>();
  for (const key of Object.keys(FIELD_LABELS)) {
    if (Object.hasOwn(oldFields, key) || Object.hasOwn(newFields, key)) keys.add(key);
  }
  for (const key of Object.keys(oldFields)) keys.add(key);
  for (const key of Object.keys(newFields)) keys.add(key);

  const changes: FieldChange[] = [];
  for (const field of keys) {
    const before = Object.hasOwn(oldFields, field) ? oldFields[field] : undefined;
    const after = Object.hasOwn(newFields, field) ? newFields[field] : undefined;
    if (!deepEqual(before, after, 0)) {
      changes.push({ field, label: Object.hasOwn(FIELD_LABELS, field) ? FIELD_LABELS[field]! : field, before, after });
    }
  }
  return changes;
}

type FrontMatter = { language: string; yaml: string } | null;

/** The fenced block at the top of the page, split by the one front-matter module. */
function frontMatterOf(text: string): FrontMatter {
  const split = splitFrontMatter(text);
  return split.yaml === null ? null : { language: split.language.toLowerCase(), yaml: split.yaml };
}

/** Parsed fields; `{}` without front matter; null when it is not a YAML mapping. */
function parseFields(matter: FrontMatter): Record<string, unknown> | null {
  if (!matter) return {};
  if ((matter.language !== "" && matter.language !== "yaml") || matter.yaml.length > MAX_FRONT_MATTER_CHARS) return null;
  let data: unknown;
  try {
    data = parseYaml(matter.yaml, { schema: "core", logLevel: "error", maxAliasCount: 0, uniqueKeys: true, prettyErrors: false });
  } catch {
    return null;
  }
  if (data === null || data === undefined) return {};
  return typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}

export function frontMatterChanges(a: string, b: string): FieldChange[] {
  const oldMatter = frontMatterOf(a);
  const newMatter = frontMatterOf(b);
  if (oldMatter?.language === newMatter?.language && oldMatter?.yaml === newMatter?.yaml) return [];
  const before = parseFields(oldMatter);
  const after = parseFields(newMatter);
  return before && after ? diffFields(before, after) : [];
}

function deepEqual(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || depth > 64) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i], depth + 1));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((key) => Object.hasOwn(y, key) && deepEqual(x[key], y[key], depth + 1));
}
