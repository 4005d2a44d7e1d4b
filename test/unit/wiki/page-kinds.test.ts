import { describe, expect, it } from "vitest";
import { newPageTemplate } from "@/lib/wiki/edit-session";
import { parseFrontMatter } from "@/lib/wiki/front-matter";
import { asPageKind, creatableKinds, fieldSpecs, kindLabel, kindSpecs, searchableFields } from "@/lib/wiki/page-kinds";

describe("page kinds", () => {
  it("a file page is not started from a template: its file field must name uploaded bytes", () => {
    expect(creatableKinds).not.toContain("file");
    const parsed = parseFrontMatter(newPageTemplate("File:Fresh.png", "file"));
    expect(parsed.ok).toBe(false);
    const valid = parseFrontMatter(newPageTemplate("File:Fresh.png", "file").replace(/^file: .*$/m, `file: ${"a".repeat(64)}`));
    expect(valid.ok && valid.fields).toMatchObject({ kind: "file", file: "a".repeat(64), licence: "Not stated", source: "Not stated" });
  });

  it.each(creatableKinds)("a new %s page's template is valid front matter of that kind, with every field the kind has", (kind) => {
    const parsed = parseFrontMatter(newPageTemplate("Fresh page", kind));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.fields.kind).toBe(kind);
    for (const field of kindSpecs[kind].fields) expect(parsed.fields).toHaveProperty(field);
  });

  it("a difference template starts the dimension at the title and each side at its prompt", () => {
    const parsed = parseFrontMatter(newPageTemplate("Who drives it", "difference"));
    expect(parsed.ok && parsed.fields).toMatchObject({ dimension: "Who drives it", tkm: fieldSpecs.tkm.starter, sl: fieldSpecs.sl.starter });
  });

  it("refuses a kind's field longer than the registry allows, naming the field", () => {
    const long = newPageTemplate("X", "difference").replace(/^dimension: .*$/m, `dimension: ${"d".repeat(fieldSpecs.dimension.max + 1)}`);
    const parsed = parseFrontMatter(long);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.message).toMatch(/"dimension"/);
  });

  it("names kinds for people and parses them from untrusted text", () => {
    expect(kindLabel("difference")).toBe("Difference");
    expect(kindLabel("mystery")).toBe("mystery");
    expect(asPageKind("concept")).toBe("concept");
    expect(asPageKind(["concept"])).toBeUndefined();
    expect(asPageKind("toString")).toBeUndefined();
  });

  it("groups the indexed fields by weight in registry order, skipping the unindexed", () => {
    const groups = searchableFields({ title: "T", kind: "difference", summary: "S", dimension: "D", tkm: "K", sl: "L", tags: ["a", "b"], sources: ["src"] });
    expect(groups).toEqual([{ weight: "B", text: "S · D · K · L · a · b" }]);
  });
});
