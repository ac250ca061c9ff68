// Generates contracts/abi.ts from Hardhat's build artifacts. Run after `hardhat build` (`pnpm build` does both);
// test/contracts/abi.test.ts fails when the committed file no longer matches the build.
import { writeFileSync } from "node:fs";
import { ABI_CONTRACT_COUNT, ABI_MODULE_PATH, renderAbiModule } from "./lib/renderAbiModule.ts";

writeFileSync(ABI_MODULE_PATH, renderAbiModule());
console.log(`wrote ${ABI_MODULE_PATH} (${ABI_CONTRACT_COUNT} ABIs)`);
