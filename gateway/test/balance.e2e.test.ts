// The operator's prepaid balance in the market pays every job: one transaction per job, no approval; the wallet tops
// the balance up by the configured amount when it cannot cover an escrow; refunds (the unused rest at settlement)
// return to the balance; a request neither can pay is refused before anything is sent, and nothing is lost.
import { expect } from "chai";
import OpenAI from "openai";
import { decodeFunctionData, erc20Abi, parseEventLogs, type Hash } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";

const TOP_UP = 1_000n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Octo = { job_id: string; max_cost: string; receipt: { transactions: { deposit: Hash | null; create: Hash } } };
const octoOf = (body: object) => (body as { octo: Octo }).octo;

describe("gateway: paying from the operator's market balance", function () {
  this.timeout(400_000);
  let g: GatewayOnLocalMarket;
  before(async () => (g = await startGatewayOnLocalMarket({ gateway: { topUp: TOP_UP } })));
  after(async () => g?.stop());

  const token = () => g.market.devnet.contracts.MockUSDC.address;
  const marketBalance = (blockNumber?: bigint) =>
    g.operatorClient.readContract({
      address: g.market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "balanceOf",
      args: [token(), g.operator.address],
      blockNumber,
    });
  const wallet = () =>
    g.operatorClient.readContract({
      address: token(),
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [g.operator.address],
    });
  // octo-tiny answers "42" and stops: a job bills fewer tokens than it escrows, so settling it refunds the rest.
  const ask = (maxTokens: number) =>
    g.openai().chat.completions.create({
      model: "octo-tiny",
      messages: [{ role: "user", content: "17 + 25" }],
      max_tokens: maxTokens,
    });
  /** The block a transaction was mined in, and what the market function it called was. */
  async function mined(hash: Hash) {
    const [tx, receipt] = await Promise.all([
      g.operatorClient.getTransaction({ hash }),
      g.operatorClient.getTransactionReceipt({ hash }),
    ]);
    return { receipt, call: decodeFunctionData({ abi: jobMarketAbi, data: tx.input }).functionName };
  }
  /** Passes the challenge window once the job's result is on-chain, until its provider has finalized it. */
  async function finalize(jobId: bigint) {
    for (;;) {
      const { statusName } = await g.operatorClient.getJob({ jobId });
      if (statusName === "Finalized") return;
      if (statusName === "Submitted") await g.market.devnet.passChallengeWindow();
      await sleep(500);
    }
  }

  it("tops the balance up by `topUp` from the wallet when it cannot cover the escrow, then pays the job from it", async () => {
    expect(await marketBalance()).to.equal(0n);
    const walletBefore = await wallet();
    const body = await ask(8);
    const octo = octoOf(body);
    const maxCost = BigInt(octo.max_cost);
    expect(octo.receipt.transactions.deposit).to.match(/^0x[0-9a-f]{64}$/);
    const deposit = await mined(octo.receipt.transactions.deposit!);
    expect(deposit.call).to.equal("deposit");
    const [deposited] = parseEventLogs({ abi: jobMarketAbi, logs: deposit.receipt.logs, eventName: "Deposited" });
    expect(deposited!.args.amount).to.equal(TOP_UP);
    expect(await wallet()).to.equal(walletBefore - TOP_UP);
    const create = await mined(octo.receipt.transactions.create);
    expect(create.call).to.equal("createJobFromBalance");
    expect(await marketBalance(create.receipt.blockNumber)).to.equal(TOP_UP - maxCost);
  });

  it("pays a chat completion from the balance in one transaction: the escrow comes out, the unused rest back", async () => {
    const [nonceBefore, walletBefore] = [await g.nonce(), await wallet()];
    const body = await ask(20);
    const octo = octoOf(body);
    const jobId = BigInt(octo.job_id);
    const maxCost = BigInt(octo.max_cost);
    expect(maxCost).to.equal(200n);
    // One transaction for the job: no approval, no top-up (the balance covered it), the wallet untouched.
    expect(await g.nonce()).to.equal(nonceBefore + 1);
    expect(octo.receipt.transactions.deposit).to.equal(null);
    expect(await wallet()).to.equal(walletBefore);
    const create = await mined(octo.receipt.transactions.create);
    expect(create.call).to.equal("createJobFromBalance");
    const createdIn = create.receipt.blockNumber;
    expect((await marketBalance(createdIn - 1n)) - (await marketBalance(createdIn))).to.equal(maxCost);

    await finalize(jobId);
    const job = await g.operatorClient.getJob({ jobId });
    const cost = BigInt(job.tokenCount) * job.pricePerToken;
    expect(cost > 0n && cost < maxCost).to.equal(true);
    const [finalized] = await g.operatorClient.getContractEvents({
      address: g.market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobFinalized",
      args: { jobId },
      fromBlock: createdIn,
      strict: true,
    });
    const settledIn = finalized!.blockNumber;
    expect((await marketBalance(settledIn)) - (await marketBalance(settledIn - 1n))).to.equal(maxCost - cost);
    expect(await wallet()).to.equal(walletBefore);
  });

  it("refuses with 402 insufficient_funds when neither the balance nor the wallet can cover the escrow; nothing is lost", async () => {
    // Every earlier job settled, so nothing changes the balance behind the test's back.
    for (const log of await g.operatorClient.getContractEvents({
      address: g.market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobCreated",
      args: { user: g.operator.address },
      fromBlock: 0n,
      strict: true,
    }))
      await finalize(log.args.jobId);
    // The operator keeps 5 units in the market and 5 in its wallet: less than one 80-unit escrow between them.
    await g.operatorClient.withdraw({ token: token(), amount: (await marketBalance()) - 5n });
    await g.operatorClient.waitForTransactionReceipt({
      hash: await g.operatorClient.writeContract({
        address: token(),
        abi: erc20Abi,
        functionName: "transfer",
        args: ["0x000000000000000000000000000000000000dEaD", (await wallet()) - 5n],
      }),
    });
    const nonceBefore = await g.nonce();
    const error = await ask(8).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(OpenAI.APIError);
    const { status, code, message } = error as InstanceType<typeof OpenAI.APIError>;
    expect([status, code]).to.deep.equal([402, "insufficient_funds"]);
    expect(message).to.match(/market balance holds 5 units and its wallet 5, this request escrows 80/);
    expect(await g.nonce()).to.equal(nonceBefore);
    expect([await marketBalance(), await wallet()]).to.deep.equal([5n, 5n]);
  });

  it("/health and /metrics report the market balance, the wallet and the deposits", async () => {
    const health = (await (await fetch(`${g.gateway.url}/health`)).json()) as {
      operator: { marketBalance: string; walletBalance: string; topUp: string };
    };
    expect(health.operator).to.include({ marketBalance: "5", walletBalance: "5", topUp: TOP_UP.toString() });
    const metrics = await (await fetch(`${g.gateway.url}/metrics`)).text();
    expect(metrics).to.match(/octo_gateway_market_balance\{token="0x[0-9a-fA-F]{40}"\} 5\n/);
    expect(metrics).to.match(/octo_gateway_wallet_balance\{token="0x[0-9a-fA-F]{40}"\} 5\n/);
    expect(metrics).to.match(/octo_gateway_deposits_total\{token="0x[0-9a-fA-F]{40}"\} 1\n/);
    expect(metrics).to.match(new RegExp(`octo_gateway_deposited_total\\{token="0x[0-9a-fA-F]{40}"\\} ${TOP_UP}\\n`));
  });
});
