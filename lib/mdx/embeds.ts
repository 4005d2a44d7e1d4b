/**
 * The providers a page may embed, each a player address built from an id
 * (never a URL an author writes), and the CSP frame-src that lets exactly
 * these in. Plain data: the article body's click-to-load reads it in the
 * browser too.
 */
export const embedProviders = {
  youtube: { label: "YouTube", origin: "https://www.youtube-nocookie.com", id: /^[A-Za-z0-9_-]{11}$/, player: (id: string) => `https://www.youtube-nocookie.com/embed/${id}`, page: (id: string) => `https://www.youtube.com/watch?v=${id}` },
  vimeo: { label: "Vimeo", origin: "https://player.vimeo.com", id: /^\d{1,12}$/, player: (id: string) => `https://player.vimeo.com/video/${id}?dnt=1`, page: (id: string) => `https://vimeo.com/${id}` },
  archive: { label: "the Internet Archive", origin: "https://archive.org", id: /^[A-Za-z0-9._-]{1,100}$/, player: (id: string) => `https://archive.org/embed/${id}`, page: (id: string) => `https://archive.org/details/${id}` },
} as const;

export type EmbedProvider = keyof typeof embedProviders;

export const embedProviderNames = Object.keys(embedProviders) as EmbedProvider[];

/** The player address for a provider and id, or null when either is not allowed. */
export function embedPlayer(provider: string, id: string): string | null {
  if (!Object.hasOwn(embedProviders, provider)) return null;
  const spec = embedProviders[provider as EmbedProvider];
  return spec.id.test(id) ? spec.player(id) : null;
}

/** CSP frame-src sources: the providers' player origins. */
export const embedFrameSources = embedProviderNames.map((name) => embedProviders[name].origin);
