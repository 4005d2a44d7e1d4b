/**
 * The kinds of page the database stores. The registry of what each kind means
 * (its fields, labels and search weights) is lib/wiki/page-kinds.ts, which
 * reads this list; nothing else restates it. Plain data: safe in the browser.
 */
export const pageKinds = ["difference", "concept", "source", "article", "file"] as const;
export type PageKind = (typeof pageKinds)[number];
