// sdk/src/generated/ is generated, never edited by hand; the sdk, the worker and apps compile against it, so it must
// be the build's ABIs and enums. `hardhat test` compiles first, so the artifacts read here are the current sources'.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { renderSdkModules } from "../../scripts/lib/renderSdkModules.ts";

describe("sdk/src/generated", () => {
  for (const [path, text] of Object.entries(renderSdkModules())) {
    it(`test_codegen_${path.split("/").pop()}_matchesTheBuild`, () => {
      expect(readFileSync(path, "utf8") === text, `${path} is stale: run \`pnpm build\` and commit it`).to.equal(true);
    });
  }
});
