// A job from the user's side, against a real local market: create (named and open, approve and permit), watch, open
// the result, recover the job secret from the user key, and the ways to get escrow back. The provider's half is
// played by test/helpers/provider.ts with real proofs.
import { expect } from "chai";
import { createWalletClient, custom, parseUnits, publicActions } from "viem";
import { foundry } from "viem/chains";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS, type Devnet } from "@octo/devnet";
import {
  ContractRevertedError,
  JobKeyMismatchError,
  generateUserKey,
  octoActions,
  type JobStatusName,
} from "@octo/sdk";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { startTestMarket, userClient } from "../helpers/devnet.ts";
import { addProvider, type TestProvider } from "../helpers/provider.ts";

describe("job lifecycle (sdk actions on a devnet)", () => {
  let devnet: Devnet;
  let user: ReturnType<typeof userClient>;
  let provider: TestProvider;
  const job = () => ({
    modelId: devnet.modelId!,
    paymentToken: devnet.contracts.MockUSDC.address,
    maxOutputTokens: 64,
    maxPricePerToken: 10n,
  });

  before(async () => {
    ({ devnet, user } = await startTestMarket());
    provider = await addProvider(devnet);
  });
  after(async () => devnet?.stop());

  it("createJob_namedProvider_sealsTheInputForThatProviderOnly", async () => {
    const { jobId } = await user.createJob({
      ...job(),
      input: { messages: [{ role: "user", content: "hello" }] },
      provider: provider.address,
    });
    // Named: claimed by its creation, the provider's collateral locked in the same transaction.
    expect((await user.getJob({ jobId })).statusName).to.equal("Claimed");
    expect((await provider.openInput(jobId)).text).to.equal("<|user|>\nhello\n<|assistant|>\n");
  });

  it("createJob_thenOpenResult_decryptsWhatTheProviderProved", async () => {
    const { jobId, jobSecret } = await user.createJob({
      ...job(),
      input: { prompt: "2+2=" },
      provider: provider.address,
    });
    await provider.claim(jobId);
    await provider.submit(await provider.prove(jobId, "4, of course"));
    const { text, result } = await user.openResult({ jobId, jobSecret });
    expect(text).to.equal("4, of course");
    expect(result.provider).to.equal(provider.address);
  });

  it("createJob_withPermit_paysWithoutAnApproval", async () => {
    const payer = privateKeyToAccount(DEV_KEYS[5]);
    await devnet.write(devnet.deployer, {
      address: devnet.contracts.MockUSDC.address,
      abi: mockUSDCAbi,
      functionName: "mint",
      args: [payer.address, parseUnits("10", 6)],
    });
    await devnet.walletClient(devnet.deployer).sendTransaction({ to: payer.address, value: 10n ** 18n });
    const client = userClient(devnet, payer);
    const { jobId } = await client.createJob({ ...job(), input: { prompt: "permit" }, payment: "permit" });
    expect((await client.getJob({ jobId })).user).to.equal(payer.address);
    const allowance = await devnet.publicClient.readContract({
      address: devnet.contracts.MockUSDC.address,
      abi: mockUSDCAbi,
      functionName: "allowance",
      args: [payer.address, devnet.contracts.JobMarket.address],
    });
    expect(allowance).to.equal(0n); // the permit's allowance was spent on the escrow in the same transaction
  });

  it("watchJob_openJob_deliversTheKeyToTheClaimantAndStreamsStatusChanges", async () => {
    const { jobId, jobSecret } = await user.createJob({ ...job(), input: { prompt: "open to anyone" } });
    const statuses: JobStatusName[] = [];
    const events: string[] = [];
    const stop = user.watchJob({
      jobId,
      jobSecret,
      onStatus: (s) => statuses.push(s),
      onEvent: (e) => events.push(e.eventName),
    });
    try {
      await until(() => statuses.includes("Open"));
      await provider.claim(jobId);
      await until(() => events.includes("JobKeyDelivered"));
      // The provider opens the input with the delivered key: watchJob wrapped the secret for the claimant.
      expect((await provider.openInput(jobId)).text).to.equal("open to anyone");
      await provider.submit(await provider.prove(jobId, "done"));
      await until(() => statuses.includes("Submitted"));
      expect(statuses).to.deep.equal(["Open", "Claimed", "Submitted"]);
      expect(events).to.deep.equal(["JobCreated", "JobClaimed", "JobKeyDelivered", "ResultSubmitted"]);
    } finally {
      stop();
    }
  });

  it("watchJob_keyDeliveryFailsOnce_deliversAtTheNextPoll", async () => {
    // Found by the market soak: a delivery that failed (there, a nonce taken by the user's next createJob) was never
    // tried again, and the claimant waited for a key until the job was handed back unserved. Here the RPC refuses
    // the first transaction sent after the claim.
    const { jobId, jobSecret } = await user.createJob({ ...job(), input: { prompt: "try again" } });
    let refuse = false;
    const errors: string[] = [];
    const flaky = createWalletClient({
      chain: foundry,
      account: devnet.user,
      pollingInterval: 100,
      transport: custom({
        async request({ method, params }) {
          if (method === "eth_sendRawTransaction" && refuse) {
            refuse = false;
            throw new Error("the RPC dropped the transaction");
          }
          return devnet.publicClient.request({ method, params } as Parameters<typeof devnet.publicClient.request>[0]);
        },
      }),
    })
      .extend(publicActions)
      .extend(octoActions({ deployments: devnet.deployments }));
    const events: string[] = [];
    const stop = flaky.watchJob({
      jobId,
      jobSecret,
      onEvent: (e) => events.push(e.eventName),
      onError: (e) => errors.push(e.message),
    });
    try {
      await until(() => events.includes("JobCreated"));
      refuse = true;
      await provider.claim(jobId);
      await until(() => events.includes("JobKeyDelivered")).catch((e: unknown) => {
        throw new Error(`${e}; watchJob reported: ${errors.join(" | ")}`);
      });
      expect(errors.join("\n")).to.include("the RPC dropped the transaction");
      expect((await provider.openInput(jobId)).text).to.equal("try again");
    } finally {
      stop();
    }
  });

  it("recoverJobSecret_sameUserKey_derivesTheSecretOnAnotherDevice", async () => {
    const userKey = generateUserKey({ address: devnet.user.address });
    const { jobId, jobSecret } = await user.createJob({ ...job(), input: { prompt: "remember me" }, userKey });
    // "Another device": only the user key and the chain.
    expect(await user.recoverJobSecret({ jobId, userKey })).to.deep.equal(jobSecret);
    const other = generateUserKey({ address: devnet.user.address });
    const error = await user.recoverJobSecret({ jobId, userKey: other }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(JobKeyMismatchError);
  });

  it("getUserKey_deterministicWallet_givesTheSameKeyTwice", async () => {
    const [a, b] = [await user.getUserKey(), await user.getUserKey()];
    expect(a.key).to.deep.equal(b.key);
    expect(a.address).to.equal(devnet.user.address);
  });

  it("cancelJob_openJob_refundsTheEscrow", async () => {
    const { jobId } = await user.createJob({ ...job(), input: { prompt: "never mind" } });
    const before = await balance();
    await user.cancelJob({ jobId });
    expect((await user.getJob({ jobId })).statusName).to.equal("Cancelled");
    expect((await balance()) - before).to.equal(64n * 10n);
  });

  it("reclaim_claimedJobPastItsDeadline_timesItOut", async () => {
    const { jobId } = await user.createJob({
      ...job(),
      input: { prompt: "too slow" },
      provider: provider.address,
      deadlineSeconds: 3600,
    });
    await provider.claim(jobId);
    await devnet.passTime(3601);
    expect((await user.reclaim({ jobId })).action).to.equal("timeoutJob");
    expect((await user.getJob({ jobId })).statusName).to.equal("TimedOut");
  });

  it("reclaim_beforeTheDeadline_throwsTheDecodedRevertWithASentence", async () => {
    const { jobId } = await user.createJob({ ...job(), input: { prompt: "patience" }, provider: provider.address });
    await provider.claim(jobId);
    const error = await user.reclaim({ jobId }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ContractRevertedError);
    const revert = error as ContractRevertedError<"JobDeadlineNotPassed">;
    expect(revert.errorName).to.equal("JobDeadlineNotPassed");
    expect(revert.args[0]).to.equal(jobId);
    expect(revert.shortMessage).to.match(new RegExp(`^Job ${jobId}'s deadline is .*; wait until then\\.$`));
  });

  it("createJob_unknownPaymentToken_isRefusedByName", async () => {
    const error = await user
      .createJob({ ...job(), paymentToken: devnet.contracts.OctoToken.address, input: { prompt: "x" } })
      .catch((e: unknown) => e);
    expect((error as ContractRevertedError).errorName).to.equal("CreatePaymentTokenNotAllowed");
    expect((error as ContractRevertedError<"CreatePaymentTokenNotAllowed">).args).to.deep.equal([
      devnet.contracts.OctoToken.address,
    ]);
  });

  async function balance() {
    return devnet.publicClient.readContract({
      address: devnet.contracts.MockUSDC.address,
      abi: mockUSDCAbi,
      functionName: "balanceOf",
      args: [devnet.user.address],
    });
  }
});

async function until(predicate: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
