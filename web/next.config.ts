import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
// snarkjs's browser build, as a path from this package (its exports name only "."; this is the file its "browser"
// condition points at). The app depends on the same snarkjs version as @octo/circuits, so both are one copy.
const snarkjsBrowser = relative(
  webRoot,
  join(dirname(createRequire(import.meta.url).resolve("snarkjs")), "browser.esm.js"),
);

const config: NextConfig = {
  // The workspace packages are TypeScript source (no build step): Next compiles them with the app.
  transpilePackages: ["@octo/sdk", "@octo/circuits"],
  turbopack: {
    root: fileURLToPath(new URL("..", import.meta.url)),
    // snarkjs only checks receipts: the browser loads it when a receipt is checked, not with every page
    // (src/lib/lazySnarkjs.ts).
    resolveAlias: {
      snarkjs: { browser: "./src/lib/lazySnarkjs.ts" },
      "octo-snarkjs-browser": `./${snarkjsBrowser}`,
    },
  },
  // `pnpm typecheck` (tsc -p .) checks the app with the rest of the workspace; a second check inside `next build`
  // would only double the build time on small machines.
  typescript: { ignoreBuildErrors: true },
  // A build that serves any market: the deployments and RPC URLs are read when a page is served, not baked in.
  poweredByHeader: false,
  // OCTO_SOURCEMAPS=1 next build: source maps for the browser chunks, to see which modules a page's first load carries
  // (bench/notes/web-bundle.md). Off by default: the served build does not publish them.
  productionBrowserSourceMaps: process.env.OCTO_SOURCEMAPS === "1",
};

export default config;
