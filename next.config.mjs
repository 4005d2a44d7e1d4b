/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["postgres", "@electric-sql/pglite", "esbuild", "mdx-bundler", "rate-limiter-flexible", "@node-rs/argon2"],
  typescript: { ignoreBuildErrors: false },
  // Above lib/edge/limits.ts's MAX_REQUEST_BYTES, which scripts/server.ts enforces first (413).
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
};

export default nextConfig;
