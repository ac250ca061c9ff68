// How long a request waits (`octo.wait`), and what happens after: a finalized job is settled in the gateway's ledger
// at the receipt's cost and its key keeps only that charge; /health and /metrics report it.
import { expect } from "chai";
import { jobMarketAbi } from "@octo/sdk";
import { listApiKeys, openStore } from "../src/index.ts";
import { getLedgerJob } from "../src/jobs/jobLedger.ts";
import { startGatewayOnLocalMarket, type GatewayOnLocalMarket } from "./helpers/gatewayOnLocalMarket.ts";

type Octo = {
  job_id: string;
  cost: string | null;
  receipt: { status: string; transactions: { finalize: string | null } };
};
const octoOf = (body: object) => (body as { octo: Octo }).octo;

describe("gateway: wait modes and settlement", function () {
  this.timeout(300_000);
  let g: GatewayOnLocalMarket;
  before(async () => (g = await startGatewayOnLocalMarket({ market: { model: "fixture" } })));
  after(async () => g?.stop());
  const ask = (key: string, wait: "streamed" | "submitted" | "finalized") =>
    g.openai(key).completions.create({
      model: "octo-fixture-tiny",
      prompt: "Once upon a time",
      max_tokens: 6,
      octo: { wait },
    } as Parameters<ReturnType<GatewayOnLocalMarket["openai"]>["completions"]["create"]>[0] & { stream?: false });

  it("'streamed' answers when the provider's stream ends, before the receipt (so without usage)", async () => {
    const body = await ask(g.apiKey, "streamed");
    const octo = octoOf(body);
    expect(octo.receipt.status).to.be.oneOf(["Open", "Claimed"]); // the stream can end before the claim is mined
    expect(body.usage).to.equal(undefined);
    expect(octo.cost).to.equal(null);
    // The proven result follows the stream; it is the same text.
    const jobId = BigInt(octo.job_id);
    while (!["Submitted", "Finalized"].includes((await g.operatorClient.getJob({ jobId })).statusName))
      await new Promise((r) => setTimeout(r, 300));
    const { text, job } = await g.onChain(jobId);
    expect(body.choices[0]!.text).to.equal(text);
    expect(job.tokenCount).to.be.greaterThan(0);
  });

  it("'finalized' answers once the payment has settled; the key is charged the receipt's cost and no more", async () => {
    const secret = g.gateway.createApiKey({ name: "settles", spendLimit: 10_000n });
    let done = false;
    const pending = ask(secret, "finalized").finally(() => (done = true));
    // Once the job's result is on-chain, time passes past its challenge window and the provider finalizes.
    const latestJob = async () => {
      const created = await g.operatorClient.getContractEvents({
        address: g.market.devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        eventName: "JobCreated",
        args: { user: g.operator.address },
        fromBlock: 0n,
        strict: true,
      });
      return created.at(-1)?.args.jobId;
    };
    while (!done) {
      await new Promise((r) => setTimeout(r, 500));
      const jobId = await latestJob();
      if (!done && jobId !== undefined && (await g.operatorClient.getJob({ jobId })).statusName === "Submitted")
        await g.market.devnet.passChallengeWindow();
    }
    const body = await pending;
    const octo = octoOf(body);
    const { job } = await g.onChain(BigInt(octo.job_id));
    expect(octo.receipt.status).to.equal("Finalized");
    expect(job.statusName).to.equal("Finalized");
    expect(octo.receipt.transactions.finalize).to.match(/^0x[0-9a-f]{64}$/);
    const cost = BigInt(job.tokenCount) * job.pricePerToken;
    expect(octo.cost).to.equal(cost.toString());

    // The settler settles the job in the ledger and gives the key back what the escrow held beyond the cost.
    const read = () => {
      const store = openStore({ path: `${g.dataDir}/gateway.sqlite` });
      try {
        return {
          ledger: getLedgerJob(store, BigInt(octo.job_id)),
          spent: listApiKeys(store).find((k) => k.name === "settles")!.spent,
        };
      } finally {
        store.close();
      }
    };
    const deadline = Date.now() + 60_000;
    while (read().ledger?.state !== "settled" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const { ledger, spent } = read();
    expect(ledger?.state).to.equal("settled");
    expect(ledger?.cost).to.equal(cost);
    expect(spent).to.equal(cost);

    const metrics = await (await fetch(`${g.gateway.url}/metrics`)).text();
    expect(metrics).to.match(/octo_gateway_jobs_settled_total\{status="Finalized"\} [1-9]/);
    expect(metrics).to.match(/octo_gateway_spend_total\{token="0x[0-9a-fA-F]{40}"\} [1-9]/);
    expect(metrics).to.match(/octo_gateway_requests_total\{route="\/v1\/completions",status="200"\} [1-9]/);
  });

  it("/health reports the chain, the operator's market balance and wallet, and the pending jobs", async () => {
    const response = await fetch(`${g.gateway.url}/health`);
    const body = (await response.json()) as {
      status: string;
      chain: { reachable: boolean };
      operator: { address: string; marketBalance: string; walletBalance: string };
      jobsPending: number;
    };
    expect(response.status).to.equal(200);
    expect(body.status).to.equal("ok");
    expect(body.operator.address).to.equal(g.operator.address);
    // The first job deposited the whole wallet (the default top-up) and settled jobs refunded their rest to it.
    const token = g.market.devnet.contracts.MockUSDC.address;
    expect(BigInt(body.operator.marketBalance)).to.equal(
      await g.operatorClient.getBalance({ token, account: g.operator.address }),
    );
    expect(BigInt(body.operator.marketBalance) > 0n).to.equal(true);
    expect(body.operator.walletBalance).to.equal("0");
    expect(body.jobsPending).to.be.a("number");
  });
});
