// Finding a model and a provider, and what a job will cost at most, from the registries and past receipts.
import { expect } from "chai";
import { DEV_KEYS, type Devnet } from "@octo/devnet";
import { privateKeyToAccount } from "viem/accounts";
import { NoProviderError, jobMarketAbi, stakingRegistryAbi, type Offer } from "@octo/sdk";
import { MODEL, startTestMarket, userClient } from "../helpers/devnet.ts";
import { addProvider, type TestProvider } from "../helpers/provider.ts";

describe("discovery and quotes", () => {
  let devnet: Devnet;
  let user: ReturnType<typeof userClient>;
  let cheap: TestProvider;
  let dear: TestProvider;
  const market = () => ({ modelId: devnet.modelId!, paymentToken: devnet.contracts.MockUSDC.address });

  before(async () => {
    ({ devnet, user } = await startTestMarket());
    cheap = await addProvider(devnet, { key: DEV_KEYS[2], pricePerToken: 5n });
    dear = await addProvider(devnet, { key: DEV_KEYS[3], pricePerToken: 9n });
    // The dear provider has one completed job on record: claimed, proved, submitted, finalized.
    const { jobId } = await user.createJob({
      ...market(),
      input: { prompt: "warm up" },
      provider: dear.address,
      maxOutputTokens: 32,
      maxPricePerToken: 9n,
    });
    await dear.claim(jobId);
    await dear.submit(await dear.prove(jobId, "twelve bytes"));
    await devnet.passChallengeWindow();
    await devnet.write(devnet.user, {
      address: devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "finalize",
      args: [jobId],
    });
  });
  after(async () => devnet?.stop());

  it("listModels_listsTheRegisteredModelWithItsSpec", async () => {
    const [model, ...rest] = await user.listModels();
    expect(rest).to.deep.equal([]);
    expect(model).to.deep.equal({ modelId: devnet.modelId, ...MODEL, status: "Active", minTier: 0 });
  });

  it("listOffers_givesPriceStakeReputationAndRecentSpeed", async () => {
    const offers = await user.listOffers(market());
    const byProvider = new Map(offers.map((o) => [o.provider, o]));
    expect(byProvider.get(cheap.address)).to.include({
      pricePerToken: 5n,
      tier: 0,
      stake: 2_000n * 10n ** 18n,
      freeStake: 2_000n * 10n ** 18n,
      accepting: true,
      tokensPerSecond: undefined,
    });
    const d = byProvider.get(dear.address) as Offer;
    expect(d.pricePerToken).to.equal(9n);
    expect(d.reputation.completed).to.equal(1);
    expect(d.tokensPerSecond! > 0).to.equal(true); // 12 tokens over the seconds between its claim and its result
  });

  it("selectProvider_eachPolicyPicksItsProvider", async () => {
    expect((await user.selectProvider({ ...market(), policy: "cheapest" })).provider).to.equal(cheap.address);
    expect((await user.selectProvider({ ...market(), policy: "fastest" })).provider).to.equal(dear.address);
    expect((await user.selectProvider({ ...market(), policy: "reputation" })).provider).to.equal(dear.address);
    expect((await user.selectProvider({ ...market(), policy: { provider: dear.address } })).provider).to.equal(
      dear.address,
    );
  });

  it("selectProvider_nothingWithinTheLimits_throwsNoProviderError", async () => {
    const error = await user.selectProvider({ ...market(), policy: "cheapest", minTier: 2 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NoProviderError);
    const priced = await user.selectProvider({ ...market(), policy: "fastest", maxPricePerToken: 6n });
    expect(priced.provider).to.equal(cheap.address);
  });

  it("selectProvider_providerThatStoppedAccepting_isSkipped", async () => {
    await devnet.write(privateKeyToAccount(DEV_KEYS[2]), {
      address: devnet.contracts.StakingRegistry.address,
      abi: stakingRegistryAbi,
      functionName: "setAccepting",
      args: [false],
    });
    expect((await user.selectProvider({ ...market(), policy: "cheapest" })).provider).to.equal(dear.address);
  });

  it("quoteJob_mostTheJobCosts_feeIncluded", async () => {
    expect(await user.quoteJob({ maxOutputTokens: 100, maxPricePerToken: 9n })).to.deep.equal({
      maxCost: 900n,
      maxFee: 22n,
      feeBps: 250,
    });
  });
});
