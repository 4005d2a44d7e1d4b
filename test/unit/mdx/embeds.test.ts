import { describe, expect, it } from "vitest";
import { embedMediaSources, embedPlayer, embedSource, podcastEnclosure } from "@/lib/mdx/embeds";
import { contentSecurityPolicy } from "@/lib/security/csp";

const HOSTS = ["traffic.libsyn.com", "media.transistor.fm"];

describe("embed ids", () => {
  it("refuses Internet Archive ids that leave /embed/: only dots, a leading dot, or `..` anywhere", () => {
    for (const id of [".", "..", "...", "..foo", "foo..bar", "a/..", ".hidden"]) expect(embedPlayer("archive", id), id).toBeNull();
    expect(embedPlayer("archive", "garden-talk_2019.v2")).toBe("https://archive.org/embed/garden-talk_2019.v2");
  });

  it("keeps YouTube ids to 11 id characters and Vimeo ids to digits", () => {
    expect(embedPlayer("youtube", "dQw4w9WgXcQ")).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    for (const id of ["..", "dQw4w9WgXc", "dQw4w9WgXcQQ", "dQw4w9WgX.Q", "../../x/yy"]) expect(embedPlayer("youtube", id), id).toBeNull();
    for (const id of ["..", "12a", "1".repeat(13), "-1"]) expect(embedPlayer("vimeo", id), id).toBeNull();
  });

  it("does not frame a podcast, and knows no other provider", () => {
    expect(embedPlayer("podcast", "https://traffic.libsyn.com/x.mp3")).toBeNull();
    expect(embedSource("constructor", "x", HOSTS)).toBeNull();
    expect(embedSource("__proto__", "x", HOSTS)).toBeNull();
  });
});

describe("podcast enclosures", () => {
  it("plays an https audio address on a listed host, as an audio source", () => {
    const url = "https://traffic.libsyn.com/garden/episode-50.mp3?dest-id=1";
    expect(embedSource("podcast", url, HOSTS)).toEqual({ kind: "audio", src: url });
  });

  it.each([
    ["an unlisted host", "https://evil.example/episode.mp3"],
    ["a listed host's subdomain", "https://x.traffic.libsyn.com/episode.mp3"],
    ["a host that only ends like a listed one", "https://nottraffic.libsyn.com/episode.mp3"],
    ["plain http", "http://traffic.libsyn.com/episode.mp3"],
    ["credentials", "https://user:pw@traffic.libsyn.com/episode.mp3"],
    ["another port", "https://traffic.libsyn.com:8443/episode.mp3"],
    ["a javascript: URL", "javascript:alert(1)//https://traffic.libsyn.com/"],
    ["spaces and quotes the parser would escape", 'https://traffic.libsyn.com/a b".mp3'],
    ["upper case the parser would lower", "https://TRAFFIC.libsyn.com/episode.mp3"],
    ["a backslash", "https://traffic.libsyn.com\\@evil.example/x.mp3"],
    ["too long", `https://traffic.libsyn.com/${"a".repeat(2100)}.mp3`],
  ])("refuses %s", (_what, url) => {
    expect(podcastEnclosure(url, HOSTS)).toBeNull();
  });

  it("refuses every enclosure when no host is listed", () => {
    expect(podcastEnclosure("https://traffic.libsyn.com/episode.mp3", [])).toBeNull();
  });

  it("the page CSP's media-src lists exactly the podcast hosts the facade accepts, beside the site", () => {
    const mediaSrc = contentSecurityPolicy("n", { podcastHosts: HOSTS })
      .split("; ")
      .find((d) => d.startsWith("media-src"));
    expect(mediaSrc).toBe(`media-src 'self' ${embedMediaSources(HOSTS).join(" ")}`);
    expect(mediaSrc).toBe("media-src 'self' https://traffic.libsyn.com https://media.transistor.fm");
    expect(contentSecurityPolicy("n").split("; ")).toContain("media-src 'self'");
  });
});
