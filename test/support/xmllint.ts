import { spawnSync } from "node:child_process";
import path from "node:path";

const fixtures = path.join(process.cwd(), "test/fixtures/mediawiki");

/**
 * Validate an XML file against MediaWiki's export-0.11.xsd with xmllint (Debian's
 * libxml2-utils), offline: the schema's import of xml.xsd resolves through
 * test/fixtures/mediawiki/catalog.xml to Debian's copy (docbook5-xml).
 */
export function validateExport(file: string): { ok: boolean; output: string } {
  const r = spawnSync("xmllint", ["--nonet", "--noout", "--schema", path.join(fixtures, "export-0.11.xsd"), file], {
    encoding: "utf8",
    env: { ...process.env, XML_CATALOG_FILES: path.join(fixtures, "catalog.xml") },
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
