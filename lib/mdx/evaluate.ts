import { compileFunction } from "node:vm";
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as jsxRuntime from "react/jsx-runtime";
import type { ComponentType } from "react";

/**
 * Turn mdx-bundler's output into its component, as mdx-bundler's
 * getMDXComponent does, but with vm.compileFunction instead of `new Function`,
 * so the renderer also works in a process started with
 * --disallow-code-generation-from-strings (which the app server uses).
 * Only ever called on code bundled from allowlist-validated MDX.
 */
export function evaluateBundle(code: string): ComponentType<{ components?: Record<string, unknown> }> {
  const fn = compileFunction(code, ["React", "ReactDOM", "_jsx_runtime"]);
  const exports = fn(React, ReactDOM, jsxRuntime) as { default: ComponentType<{ components?: Record<string, unknown> }> };
  return exports.default;
}
