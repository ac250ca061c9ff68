// The prepaid balance from the user's side, against a real local market: deposit (approve and permit), a job paid
// from the balance in one transaction, its refund back to the balance, and withdraw.
import { expect } from "chai";
import { erc20Abi, parseEventLogs, parseUnits, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS, type Devnet } from "@octo/devnet";
import { ContractRevertedError } from "@octo/sdk";
import { mockUSDCAbi } from "@octo/sdk/testing";
import { startTestMarket, userClient } from "../helpers/devnet.ts";

describe("prepaid balance (sdk actions on a devnet)", () => {
  let devnet: Devnet;
  let token: Address;
  let market: Address;
  const job = () => ({
    modelId: devnet.modelId!,
    paymentToken: token,
    maxOutputTokens: 64,
    maxPricePerToken: 10n,
  });
  const escrow = 64n * 10n;

  before(async () => {
    ({ devnet } = await startTestMarket());
    token = devnet.contracts.MockUSDC.address;
    market = devnet.contracts.JobMarket.address;
  });
  after(async () => devnet?.stop());

  /** A dev account with tokens and gas but no allowance to the market (the devnet's user has an unlimited one). */
  async function freshPayer(index: number) {
    const account = privateKeyToAccount(DEV_KEYS[index]!);
    await devnet.write(devnet.deployer, {
      address: token,
      abi: mockUSDCAbi,
      functionName: "mint",
      args: [account.address, parseUnits("10", 6)],
    });
    return { account, client: userClient(devnet, account) };
  }
  const tokensOf = (owner: Address) =>
    devnet.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  const allowanceOf = (owner: Address) =>
    devnet.publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "allowance",
      args: [owner, market],
    });
  const sent = (address: Address) => devnet.publicClient.getTransactionCount({ address });

  it("deposit_approvePath_raisesTheBalanceAndTheMarketsTokensByTheAmount", async () => {
    const { account, client } = await freshPayer(6);
    const [balance, held, nonce] = [
      await client.getBalance({ token, account: account.address }),
      await tokensOf(market),
      await sent(account.address),
    ];
    await client.deposit({ token, amount: 1234n });
    expect((await client.getBalance({ token, account: account.address })) - balance).to.equal(1234n);
    expect((await tokensOf(market)) - held).to.equal(1234n);
    expect((await sent(account.address)) - nonce).to.equal(2); // the approval it lacked, then the deposit
  });

  it("deposit_permitPath_raisesTheBalanceInOneTransaction", async () => {
    const { account, client } = await freshPayer(7);
    const [balance, held, nonce] = [
      await client.getBalance({ token, account: account.address }),
      await tokensOf(market),
      await sent(account.address),
    ];
    await client.deposit({ token, amount: 4321n, payment: "permit" });
    expect((await client.getBalance({ token, account: account.address })) - balance).to.equal(4321n);
    expect((await tokensOf(market)) - held).to.equal(4321n);
    expect((await sent(account.address)) - nonce).to.equal(1);
    expect(await allowanceOf(account.address)).to.equal(0n); // the permit's allowance was spent by the deposit
  });

  it("createJob_paymentBalance_takesTheEscrowFromTheBalanceInOneTransactionWithoutApproval", async () => {
    const { account, client } = await freshPayer(5);
    await client.deposit({ token, amount: escrow, payment: "permit" });
    const [balance, wallet, nonce] = [
      await client.getBalance({ token, account: account.address }),
      await tokensOf(account.address),
      await sent(account.address),
    ];
    const { jobId, receipt } = await client.createJob({
      ...job(),
      input: { prompt: "from my balance" },
      payment: "balance",
    });
    expect((await sent(account.address)) - nonce).to.equal(1);
    expect(parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: "Approval" })).to.deep.equal([]);
    expect(await allowanceOf(account.address)).to.equal(0n);
    expect(balance - (await client.getBalance({ token, account: account.address }))).to.equal(escrow);
    expect(await tokensOf(account.address)).to.equal(wallet);
    expect((await client.getJob({ jobId })).user).to.equal(account.address);
  });

  it("cancelJob_balancePaidJob_refundsToTheBalanceNotTheWallet", async () => {
    const user = userClient(devnet);
    const me = devnet.user.address;
    await user.deposit({ token, amount: escrow });
    const { jobId } = await user.createJob({ ...job(), input: { prompt: "never mind" }, payment: "balance" });
    const [balance, wallet] = [await user.getBalance({ token, account: me }), await tokensOf(me)];
    await user.cancelJob({ jobId });
    expect((await user.getJob({ jobId })).statusName).to.equal("Cancelled");
    expect((await user.getBalance({ token, account: me })) - balance).to.equal(escrow);
    expect(await tokensOf(me)).to.equal(wallet);
  });

  it("withdraw_withinTheBalance_sendsExactlyTheAmount", async () => {
    const user = userClient(devnet);
    const me = devnet.user.address;
    await user.deposit({ token, amount: 1000n });
    const [balance, wallet, held] = [
      await user.getBalance({ token, account: me }),
      await tokensOf(me),
      await tokensOf(market),
    ];
    await user.withdraw({ token, amount: 700n });
    expect((await tokensOf(me)) - wallet).to.equal(700n);
    expect(balance - (await user.getBalance({ token, account: me }))).to.equal(700n);
    expect(held - (await tokensOf(market))).to.equal(700n);
  });

  it("withdraw_moreThanTheBalance_throwsBalanceInsufficientNamingTheBalance", async () => {
    const user = userClient(devnet);
    const me = devnet.user.address;
    const balance = await user.getBalance({ token, account: me });
    const nonce = await sent(me);
    const error = await user.withdraw({ token, amount: balance + 1n }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ContractRevertedError);
    const revert = error as ContractRevertedError<"BalanceInsufficient">;
    expect(revert.errorName).to.equal("BalanceInsufficient");
    expect(revert.args).to.deep.equal([token, me, balance, balance + 1n]);
    expect(revert.shortMessage).to.equal(
      `${me} holds ${balance} of ${token} in the market; ${balance + 1n} is needed: deposit more or pay by transfer.`,
    );
    expect(await sent(me)).to.equal(nonce); // refused in simulation: nothing was sent
  });
});
