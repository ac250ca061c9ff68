// CI check: the committed keys/ and the generated verifier are what the circuit source compiles to.
import { expect } from "chai";
import { checkArtifacts } from "../scripts/lib/checkArtifacts.ts";

describe("committed artifacts", () => {
  it("match a fresh compile of the circuit (r1cs, wasm) and artifacts.json (zkey, vkey, verifier)", async () => {
    expect(await checkArtifacts()).to.deep.equal([]);
  });
});
