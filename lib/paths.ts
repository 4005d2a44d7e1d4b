/** The path of a page (or one of its tabs: "/history", "/talk"…) from its slug. */
export function pagePath(slug: string, suffix = ""): string {
  return `/wiki/${encodeURIComponent(slug).replace(/%2C/g, ",").replace(/%3A/g, ":")}${suffix}`;
}
