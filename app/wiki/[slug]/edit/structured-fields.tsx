"use client";

import { useState, type Dispatch, type SetStateAction } from "react";
import { setField } from "@/lib/wiki/front-matter";
import { asPageKind, fieldSpecs, kindSpecs } from "@/lib/wiki/page-kinds";

const splitTags = (text: string) => text.split(",").map((t) => t.trim()).filter(Boolean);
const splitLines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A list field edited as text: what the person typed is kept as typed (commas,
 * new lines, spaces in progress) as long as it still means the list in the
 * source; when the source changes the list elsewhere, the text follows it.
 */
function useListText(list: readonly unknown[], split: (text: string) => string[], join: (items: readonly string[]) => string) {
  const [typed, setTyped] = useState<string | null>(null);
  const strings = list.filter((v): v is string => typeof v === "string");
  const value = typed !== null && sameList(split(typed), strings) ? typed : join(strings);
  return [value, setTyped] as const;
}

/**
 * A page kind's structured fields as form fields (the registry says which:
 * difference pages have the comparison), kept in sync with the front matter
 * of the source. Renders nothing for kinds without a form.
 */
export function StructuredFields({ fields, setSource }: { fields: Record<string, unknown> | null; setSource: Dispatch<SetStateAction<string>> }) {
  const tagList = Array.isArray(fields?.tags) ? (fields.tags as unknown[]) : [];
  const sourceList = Array.isArray(fields?.sources) ? (fields.sources as unknown[]) : [];
  const [tagsText, setTagsText] = useListText(tagList, splitTags, (items) => items.join(", "));
  const [sourcesText, setSourcesText] = useListText(sourceList, splitLines, (items) => items.join("\n"));
  const kind = asPageKind(fields?.kind);
  const form = kind ? kindSpecs[kind].form : null;
  if (!fields || !form) return null;
  // Sources with an author or a year are objects: the box edits titles only, so then they are edited in the source.
  const structuredSources = sourceList.some((v) => typeof v !== "string");

  return (
    <fieldset className="structured-fields">
      <legend>{form.legend}</legend>
      {form.fields.map((key) => (
        <label key={key}>
          {fieldSpecs[key].label}
          <textarea
            name={`field-${key}`}
            rows={fieldSpecs[key].rows}
            value={typeof fields[key] === "string" ? (fields[key] as string) : ""}
            onChange={(e) => setSource((s) => setField(s, key, e.target.value))}
          />
        </label>
      ))}
      <label>
        {fieldSpecs.tags.label} <span className="hint">(comma-separated)</span>
        <input
          name="field-tags"
          value={tagsText}
          onChange={(e) => {
            const text = e.target.value;
            setTagsText(text);
            setSource((s) => setField(s, "tags", splitTags(text)));
          }}
        />
      </label>
      <label>
        {fieldSpecs.sources.label}{" "}
        <span className="hint">
          {structuredSources ? "(some have an author or a year: edit them in the page source below)" : "(one page title per line)"}
        </span>
        <textarea
          name="field-sources"
          rows={2}
          value={structuredSources ? sourceList.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("\n") : sourcesText}
          readOnly={structuredSources}
          onChange={(e) => {
            const text = e.target.value;
            setSourcesText(text);
            setSource((s) => setField(s, "sources", splitLines(text)));
          }}
        />
      </label>
    </fieldset>
  );
}
