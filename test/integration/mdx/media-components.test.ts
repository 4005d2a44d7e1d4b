import { afterAll, describe, expect, it } from "vitest";
import { renderInWorker, validateInWorker } from "@/lib/workers/mdx-jobs";
import { closePool } from "@/lib/workers/pool";

afterAll(closePool);

describe("media components in the render worker", () => {
  it("leave uploaded files for the page view to fill in, and count them as links to the files' pages", async () => {
    const body = [
      '<Figure src="File:Garden photo.jpg" alt="A garden bed" caption="Cuttings." />',
      "",
      '<Audio src="File:Episode.mp3" caption="An episode" captions="File:Episode.vtt" transcript={"x"} />',
    ].join("\n");
    // An expression prop is refused like anywhere else.
    const refused = await validateInWorker(body);
    expect(refused.ok && refused.issues.length).toBeGreaterThan(0);
    const clean = body.replace(' transcript={"x"}', ' transcript="First paragraph.\n\nSecond paragraph."');
    const checked = await validateInWorker(clean);
    expect(checked.ok && checked.links).toEqual(["File:Garden_photo.jpg", "File:Episode.mp3", "File:Episode.vtt"]);
    const rendered = await renderInWorker(clean);
    if (!rendered.ok) throw new Error(rendered.message);
    expect(rendered.html).toContain('<img data-file-src="File:Garden_photo.jpg" alt="A garden bed" loading="lazy" decoding="async"/>');
    expect(rendered.html).toContain('<a href="/wiki/File:Garden_photo.jpg" class="media-file-link">');
    expect(rendered.html).toContain('<track kind="captions" label="Captions" default="" data-file-src="File:Episode.vtt"/>');
    expect(rendered.html).toContain("<summary>Transcript</summary><p>First paragraph.</p><p>Second paragraph.</p>");
  });

  it("an Embed is a button and a link, with no frame and nothing loaded from the provider", async () => {
    const rendered = await renderInWorker('<Embed provider="youtube" id="dQw4w9WgXcQ" title="A talk" caption="Shown on click." />\n');
    if (!rendered.ok) throw new Error(rendered.message);
    expect(rendered.html).not.toContain("<iframe");
    expect(rendered.html).not.toContain("youtube-nocookie");
    expect(rendered.html).toContain('data-embed-provider="youtube" data-embed-id="dQw4w9WgXcQ"');
    expect(rendered.html).toContain('<button type="button" class="embed-load">');
    expect(rendered.html).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"');
  });

  it("a podcast enclosure on a listed host is a button and a link, with no audio element until pressed", async () => {
    const url = "https://traffic.libsyn.com/garden/episode-50.mp3";
    const body = `<Embed provider="podcast" id="${url}" title="Episode 50" />\n`;
    const checked = await validateInWorker(body);
    expect(checked.ok && checked.issues).toEqual([]);
    const rendered = await renderInWorker(body);
    if (!rendered.ok) throw new Error(rendered.message);
    expect(rendered.html).not.toContain("<audio");
    expect(rendered.html).toContain(`data-embed-provider="podcast" data-embed-id="${url}"`);
    expect(rendered.html).toContain("Listen to “Episode 50” from traffic.libsyn.com");
    expect(rendered.html).toContain(`href="${url}"`);
  });

  it("refuses an unknown provider, an id that is a URL, and a File: name with markup", async () => {
    for (const body of [
      '<Embed provider="evil" id="x" title="t" />\n',
      '<Embed provider="vimeo" id="https://evil.example/x" title="t" />\n',
      '<Embed provider="archive" id=".." title="t" />\n',
      '<Embed provider="archive" id="a..b" title="t" />\n',
      '<Embed provider="podcast" id="https://evil.example/episode.mp3" title="t" />\n',
      '<Embed provider="podcast" id="http://traffic.libsyn.com/episode.mp3" title="t" />\n',
      '<Figure src="File:a<b.png" alt="x" />\n',
    ]) {
      const checked = await validateInWorker(body);
      expect(checked.ok && checked.issues.length, body).toBeGreaterThan(0);
    }
  });
});
