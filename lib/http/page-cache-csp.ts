/**
 * The content security policy of a shared page: a per-request nonce cannot
 * protect a copy sent to many readers, so its inline scripts are allowed by hash.
 */
import { createHash } from "node:crypto";
import { Parser } from "htmlparser2";

/**
 * sha256 sources for the page's inline scripts, hashed as the browser does:
 * the element's text exactly as written, after the parser's newline
 * normalisation. Null when an inline script does not carry `nonce` (only
 * Next.js's own scripts do).
 */
export function inlineScriptHashes(html: string, nonce: string): string[] | null {
  const hashes = new Set<string>();
  let foreign = false;
  let text: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name !== "script" || attributes.src !== undefined) return;
        if (attributes.nonce !== nonce) foreign = true;
        text = "";
      },
      ontext(data) {
        if (text !== null) text += data;
      },
      onclosetag(name) {
        if (name === "script" && text !== null) {
          hashes.add(createHash("sha256").update(text.replace(/\r\n?/g, "\n"), "utf8").digest("base64"));
          text = null;
        }
      },
    },
    { decodeEntities: false },
  );
  parser.end(html);
  return foreign ? null : [...hashes];
}

/** The page's policy with script-src allowing this origin and exactly these inline scripts (no nonce). */
export function sharedPolicy(policy: string, hashes: string[]): string | null {
  const directives = policy.split(";").map((d) => d.trim());
  const index = directives.findIndex((d) => d.startsWith("script-src "));
  if (index === -1 || directives[index]!.includes("'unsafe-eval'")) return null;
  directives[index] = ["script-src 'self'", ...hashes.map((h) => `'sha256-${h}'`)].join(" ");
  return directives.join("; ");
}
