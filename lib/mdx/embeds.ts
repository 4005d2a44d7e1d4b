/**
 * The providers a page may embed, each a player address built from an id
 * (never a URL an author writes, except a podcast enclosure, whose host must
 * be on the operator's list), and the CSP sources that let exactly these in
 * (frame-src for the players, media-src for the enclosures' hosts). Plain
 * data: the article body's click-to-load reads it in the browser too.
 */

/** An Internet Archive identifier: letters, digits, `._-`, never starting with a dot nor holding `..` (`/embed/..` is another address). */
function isArchiveId(id: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(id) && !id.includes("..");
}

export const embedProviders = {
  youtube: { label: "YouTube", kind: "frame", origin: "https://www.youtube-nocookie.com", accepts: (id: string) => /^[A-Za-z0-9_-]{11}$/.test(id), player: (id: string) => `https://www.youtube-nocookie.com/embed/${id}`, page: (id: string) => `https://www.youtube.com/watch?v=${id}` },
  vimeo: { label: "Vimeo", kind: "frame", origin: "https://player.vimeo.com", accepts: (id: string) => /^\d{1,12}$/.test(id), player: (id: string) => `https://player.vimeo.com/video/${id}?dnt=1`, page: (id: string) => `https://vimeo.com/${id}` },
  archive: { label: "the Internet Archive", kind: "frame", origin: "https://archive.org", accepts: isArchiveId, player: (id: string) => `https://archive.org/embed/${id}`, page: (id: string) => `https://archive.org/details/${id}` },
} as const;

/** The providers whose player is framed. */
export type FrameProvider = keyof typeof embedProviders;
/** Every provider an author may name: the framed players, and podcast enclosures (an audio file's URL on an allowlisted host). */
export type EmbedProvider = FrameProvider | "podcast";

export const embedProviderNames: readonly EmbedProvider[] = [...(Object.keys(embedProviders) as FrameProvider[]), "podcast"];

/** Longest enclosure URL accepted. */
const ENCLOSURE_MAX = 2048;

/**
 * A podcast enclosure's URL as it will be played, or null: https on the
 * default port, no credentials, its host exactly one of `hosts` (lower
 * case), and written as the URL parser writes it (no spaces, quotes or
 * other characters it would escape), so the address shown, checked and
 * played is one string.
 */
export function podcastEnclosure(id: string, hosts: readonly string[]): string | null {
  if (id.length > ENCLOSURE_MAX || !id.startsWith("https://")) return null;
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || url.port !== "" || url.href !== id) return null;
  return hosts.includes(url.hostname) ? url.href : null;
}

/** What pressing an embed's button loads: a framed player, or an audio file played by the browser. */
export type EmbedSource = { kind: "frame"; src: string } | { kind: "audio"; src: string };

/** The player (or enclosure) for a provider and id, or null when either is not allowed. `podcastHosts`: the operator's list (PODCAST_HOSTS). */
export function embedSource(provider: string, id: string, podcastHosts: readonly string[]): EmbedSource | null {
  if (provider === "podcast") {
    const src = podcastEnclosure(id, podcastHosts);
    return src ? { kind: "audio", src } : null;
  }
  if (!Object.hasOwn(embedProviders, provider)) return null;
  const spec = embedProviders[provider as FrameProvider];
  return spec.accepts(id) ? { kind: "frame", src: spec.player(id) } : null;
}

/** The framed player's address for a provider and id, or null (podcasts are not framed). */
export function embedPlayer(provider: string, id: string): string | null {
  const source = embedSource(provider, id, []);
  return source?.kind === "frame" ? source.src : null;
}

/** CSP frame-src sources: the providers' player origins. */
export const embedFrameSources = (Object.keys(embedProviders) as FrameProvider[]).map((name) => embedProviders[name].origin);

/** CSP media-src sources beside 'self': the podcast hosts, the same list the facade checks enclosures against. */
export function embedMediaSources(podcastHosts: readonly string[]): string[] {
  return podcastHosts.map((host) => `https://${host}`);
}
