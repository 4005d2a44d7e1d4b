import type { MetadataRoute } from "next";

/** The web app manifest: the wiki's name, colours and icon when installed or pinned. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Propagate",
    short_name: "Propagate",
    description: "A community wiki comparing traditional knowledge management with social learning.",
    start_url: "/",
    display: "browser",
    background_color: "#fdfcf8",
    theme_color: "#22623a",
    icons: [{ src: "/icon.svg", sizes: "any", type: "image/svg+xml" }],
  };
}
