/** Whether a wiki link in this text would be rendered: not inside a link (see remark-wikilinks). */
export function insideLink(ancestors: readonly { type: string }[]): boolean {
  return ancestors.some((a) => a.type === "link" || a.type === "linkReference");
}
