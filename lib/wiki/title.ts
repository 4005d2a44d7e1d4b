/**
 * Titles are parsed below the wiki domain (lib/wikitext, which the MDX
 * renderer uses too); this is the domain's name for them.
 */
export * from "@/lib/wikitext/title";
