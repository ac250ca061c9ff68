// Generates the sdk's generated/ modules (ABIs, enums, error ABI) from Hardhat's build artifacts. Run after
// `hardhat build` (`pnpm build` does both); test/contracts/codegen.test.ts fails when a committed file is stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { SDK_GENERATED_DIR, renderSdkModules } from "./lib/renderSdkModules.ts";

mkdirSync(SDK_GENERATED_DIR, { recursive: true });
for (const [path, text] of Object.entries(renderSdkModules())) {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
