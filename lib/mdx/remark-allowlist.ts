import type { Root } from "mdast";
import type { Processor } from "unified";
import {
  checkSource,
  checkTree,
  checkTreeDepth,
  describeParseError,
  finishIssues,
  MdxValidationError,
  type MdxIssue,
} from "./allowlist-rules";
import { fileRefTargets } from "./file-refs";
import { wikiLinkTargets } from "./remark-wikilinks";

/** What the allowlist found in one run of the pipeline; filled in by {@link remarkAllowlist}. */
export type AllowlistReport = {
  /** `unchecked` until the allowlist has judged the document; only `passed` may be run. */
  verdict: "unchecked" | "passed" | "refused";
  /** Sorted, with file lines; empty unless refused. */
  issues: MdxIssue[];
  /** Outgoing wiki links (slugs) of a passed document, and the File: pages its components show. */
  links: string[];
  /** The processor the check ran in, so tests can assert where it sits in the pipeline. */
  processor: Processor | null;
};

export type AllowlistOptions = {
  report: AllowlistReport;
  /** Added to every line, so issues point into the whole file when front matter was split off. */
  lineOffset?: number;
};

export function newAllowlistReport(): AllowlistReport {
  return { verdict: "unchecked", issues: [], links: [], processor: null };
}

/**
 * The allowlist as a plugin of the compiler's own pipeline (see pipeline.ts),
 * so the tree it checks is the tree that is compiled. It guards the parser
 * (source checks before parsing, parse errors as issues with line and column,
 * the parsed tree's depth) and, as the last mdast transform, checks every
 * node. A refused document throws {@link MdxValidationError}: unified stops,
 * so nothing after it (HTML, JavaScript generation) ever sees the tree.
 */
export function remarkAllowlist(this: Processor, options: AllowlistOptions) {
  const { report, lineOffset = 0 } = options;
  const parse = this.parser as ((document: string, file: Parameters<NonNullable<Processor["parser"]>>[1]) => Root) | undefined;
  if (!parse) throw new Error("remarkAllowlist needs a parser before it in the pipeline.");
  report.processor = this;

  const refuse = (found: MdxIssue[]): never => {
    report.verdict = "refused";
    report.issues = finishIssues(found, lineOffset);
    throw new MdxValidationError(report.issues);
  };

  this.parser = (document, file) => {
    const before = checkSource(document);
    if (before) refuse([before]);
    let tree: Root;
    try {
      tree = parse(document, file);
    } catch (error) {
      return refuse([describeParseError(error, document, lineOffset)]);
    }
    const deep = checkTreeDepth(tree);
    if (deep) refuse([deep]);
    return tree;
  };

  return (tree: Root) => {
    const issues = checkTree(tree);
    if (issues.length > 0) refuse(issues);
    report.verdict = "passed";
    report.links = [...new Set([...wikiLinkTargets(tree), ...fileRefTargets(tree)])];
  };
}
