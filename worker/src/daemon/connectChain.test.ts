import { expect } from "chai";
import { configSchema, type ConfigInput } from "../config/configSchema.ts";
import { startAnvil, type Anvil } from "@octo/devnet";
import { assertChain, createChainClient, WrongNetworkError } from "./connectChain.ts";

describe("connectChain", () => {
  let anvil: Anvil;
  before(async () => {
    anvil = await startAnvil();
  });
  after(() => anvil.stop());

  const config = (chainId: number) =>
    configSchema.parse({
      chainId,
      rpcUrls: [anvil.url],
      deployments: "/x.json",
      key: { env: "K" },
      dataDir: "/tmp/x",
    } satisfies ConfigInput);

  it("accepts a node on the configured chain", async () => {
    await assertChain(createChainClient(config(31337)), config(31337));
  });

  it("refuses a node on another chain, naming both chains and the fields to fix", async () => {
    const err = await assertChain(createChainClient(config(137)), config(137)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(WrongNetworkError);
    expect((err as Error).message)
      .to.contain("chain 31337")
      .and.to.contain("chainId 137");
  });
});
