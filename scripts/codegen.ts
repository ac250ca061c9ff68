// Writes the generated files: contracts/generated/ProtocolConstants.sol from @octo/circuits' constants (the source
// the circuit's constants are generated from too), then the sdk's generated/ modules (ABIs, enums, error ABI) from
// Hardhat's build artifacts. `--solidity` writes only the Solidity, which the compiler reads and which needs no build:
// `pnpm build` runs it, `hardhat build`, then the whole codegen. test/contracts/codegen.test.ts fails when a committed
// file is stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { renderProtocolConstants } from "./lib/renderProtocolConstants.ts";
import { renderSdkModules } from "./lib/renderSdkModules.ts";

const files = process.argv.includes("--solidity")
  ? renderProtocolConstants()
  : { ...renderProtocolConstants(), ...renderSdkModules() };
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
