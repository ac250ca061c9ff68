// Generated files are never edited by hand: contracts/generated/ProtocolConstants.sol must be what @octo/circuits'
// constants render to (the contracts compile against it), and sdk/src/generated/ must be the build's ABIs and enums
// (the sdk, the worker and apps compile against it). `hardhat test` compiles first, so the artifacts read here are
// the current sources'.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { renderProtocolConstants } from "../../scripts/lib/renderProtocolConstants.ts";
import { renderSdkModules } from "../../scripts/lib/renderSdkModules.ts";

function expectCommitted(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    it(`test_codegen_${path.split("/").pop()}_matchesTheGenerator`, () => {
      expect(readFileSync(path, "utf8") === text, `${path} is stale: run \`pnpm build\` and commit it`).to.equal(true);
    });
  }
}

describe("contracts/generated", () => expectCommitted(renderProtocolConstants()));
describe("sdk/src/generated", () => expectCommitted(renderSdkModules()));
