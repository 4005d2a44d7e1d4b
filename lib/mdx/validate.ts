import { checkMdxBody } from "./pipeline";
import type { MdxIssue } from "./allowlist-rules";

export { MAX_MDX_BYTES, MAX_MDX_DEPTH, MAX_MDX_ISSUES, MdxValidationError, type MdxIssue } from "./allowlist-rules";
export { checkMdxBody, type MdxCheck } from "./pipeline";

/**
 * Check an MDX page body against the wiki's allowlist, in the compiler's own
 * pipeline (see pipeline.ts) and without evaluating anything. Refuses bodies
 * over {@link MAX_MDX_BYTES} or nested deeper than {@link MAX_MDX_DEPTH}
 * (checked cheaply before parsing), import/export, `{expressions}`, JSX
 * expression and spread attributes, HTML elements, fragments, components or
 * props outside the allowlist, children on components that take none, unsafe
 * URLs, HTML comments and malformed MDX. Code blocks and inline code are inert
 * text and may contain anything. Returns the issues sorted by position; an
 * empty array means valid.
 */
export function validateMdxBody(body: string, options: { lineOffset?: number } = {}): MdxIssue[] {
  return checkMdxBody(body, options).issues;
}
