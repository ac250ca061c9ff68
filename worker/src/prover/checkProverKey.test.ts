import { expect } from "chai";
import { readFileSync } from "node:fs";
import { circuitIdOf } from "@octo/circuits";
import { artifactPaths } from "@octo/circuits/node";
import { startDevnet, type Devnet } from "@octo/devnet";
import { ConfigError } from "../config/ConfigError.ts";
import { checkProverKey } from "./checkProverKey.ts";

describe("checkProverKey", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet();
  });
  after(() => devnet?.stop());

  it("accepts the key of the market's verifier (the development key on a local chain)", async () => {
    const circuitId = circuitIdOf(readFileSync(artifactPaths.verificationKey));
    await checkProverKey({ client: devnet.publicClient, market: devnet.contracts.JobMarket.address, circuitId });
  });

  it("refuses another key, naming prover.zkey and both circuit ids", async () => {
    const other = `0x${"ab".repeat(32)}` as const;
    const error = await checkProverKey({
      client: devnet.publicClient,
      market: devnet.contracts.JobMarket.address,
      circuitId: other,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigError);
    const { issues } = error as ConfigError;
    expect(issues[0]!.path).to.equal("prover.zkey");
    expect(issues[0]!.message)
      .to.include(other)
      .and.include(circuitIdOf(readFileSync(artifactPaths.verificationKey)));
  });
});
