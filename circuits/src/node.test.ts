import { expect } from "chai";
import { readFileSync } from "node:fs";
import { circuitIdOf } from "./circuitId.ts";
import { artifactPaths, loadProverArtifacts, zkeyCircuitId } from "./node.ts";

describe("zkeyCircuitId", function () {
  this.timeout(120_000);

  it("names the circuitId of the verification key its proving key exports: the committed key's", async () => {
    const manifest = JSON.parse(readFileSync(new URL("../keys/artifacts.json", import.meta.url), "utf8")) as {
      circuitId: string;
    };
    const id = await zkeyCircuitId(loadProverArtifacts().zkey as Uint8Array);
    expect(id).to.equal(circuitIdOf(readFileSync(artifactPaths.verificationKey)));
    expect(id).to.equal(manifest.circuitId);
  });
});
