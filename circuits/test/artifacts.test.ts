// CI check of the committed development setup (keys/ and contracts/verifiers/), the one anyone can rerun: the circuit
// recompiles to the recorded r1cs/wasm; `snarkjs powersoftau verify` accepts keys/dev_13.ptau and `snarkjs zkey
// verify` accepts keys/result-chunk.zkey against that r1cs and ptau, with the contribution chains artifacts.json
// records (at least one secret contribution each); the verification key and the generated Solidity are the zkey's.
import { expect } from "chai";
import { checkArtifacts } from "../scripts/lib/checkArtifacts.ts";

describe("committed artifacts", function () {
  this.timeout(600_000);
  it("are this circuit's, and zkey verify / powersoftau verify accept the committed setup with its recorded transcript", async () => {
    expect(await checkArtifacts()).to.deep.equal([]);
  });
});
