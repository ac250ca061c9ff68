// contracts/abi.ts is generated, never edited by hand; the worker and web compile against it, so it must be the
// build's ABIs. `hardhat test` compiles first, so the artifacts read here are the current sources'.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { ABI_MODULE_PATH, renderAbiModule } from "../../scripts/lib/renderAbiModule.ts";

describe("contracts/abi.ts", () => {
  it("test_abiModule_matchesTheBuild", () => {
    const committed = readFileSync(ABI_MODULE_PATH, "utf8");
    expect(committed === renderAbiModule(), `${ABI_MODULE_PATH} is stale: run \`pnpm build\` and commit it`).to.equal(true);
  });
});
