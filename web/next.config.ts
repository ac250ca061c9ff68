import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const config: NextConfig = {
  // The workspace packages are TypeScript source (no build step): Next compiles them with the app.
  transpilePackages: ["@octo/sdk", "@octo/circuits"],
  turbopack: { root: fileURLToPath(new URL("..", import.meta.url)) },
  // `pnpm typecheck` (tsc -p .) checks the app with the rest of the workspace; a second check inside `next build`
  // would only double the build time on small machines.
  typescript: { ignoreBuildErrors: true },
  // A build that serves any market: the deployments and RPC URLs are read when a page is served, not baked in.
  poweredByHeader: false,
};

export default config;
