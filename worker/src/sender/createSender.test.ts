import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  type EIP1193RequestFn,
  type Hash,
  type Hex,
  http,
  parseGwei,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { type Anvil, startAnvil } from "@octo/devnet";
import { ANVIL_KEYS, deployTestMarket, testMarket } from "../../test/helpers/testMarket.ts";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { openStore, type Store } from "../store/openStore.ts";
import { failoverTransport } from "../watch/failoverTransport.ts";
import { bumpFees, createSender, type CreateSenderParameters, type SentEvent } from "./createSender.ts";
import { NonceTakenError, SimulationRevertedError } from "./SenderError.ts";

const account = privateKeyToAccount(ANVIL_KEYS[2] as Hex);

describe("sender/createSender (anvil)", function () {
  this.timeout(120_000);
  let chain: Anvil;
  let dir: string;
  let market: Address;
  let abi: Abi;
  const stores: Store[] = [];

  beforeEach(async () => {
    chain = await startAnvil();
    dir = mkdtempSync(join(tmpdir(), "octo-sender-"));
    market = (await deployTestMarket(chain.url)).address;
    abi = testMarket().abi;
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close();
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => createPublicClient({ chain: foundry, transport: failoverTransport([chain.url]) });
  /** A node whose answers a test can bend: `intercept` sees each request first and may answer it itself. */
  type Intercept = (request: { method: string; params?: unknown }, forward: () => Promise<unknown>) => Promise<unknown>;
  const bentClient = (intercept: Intercept) => {
    const node = http(chain.url)({ chain: foundry });
    const request = ((args: { method: string; params?: unknown }) =>
      intercept(args, () => node.request(args as Parameters<typeof node.request>[0]))) as EIP1193RequestFn;
    return createPublicClient({ chain: foundry, transport: custom({ request }) });
  };
  function sender(overrides: Partial<CreateSenderParameters> = {}) {
    const store = openStore({ path: join(dir, "worker.db") });
    stores.push(store);
    const s = createSender({
      client: client(),
      account,
      store,
      maxFeePerGas: parseGwei("500"),
      maxPriorityFeePerGas: parseGwei("50"),
      pollIntervalMs: 25,
      replaceAfterMs: 60_000,
      ...overrides,
    });
    return { sender: s, store };
  }
  const nonceOf = async (tag: "latest" | "pending") =>
    Number(await chain.rpc<string>("eth_getTransactionCount", [account.address, tag]));
  const read = (functionName: string, args: unknown[]) =>
    client().readContract({ address: market, abi, functionName, args }) as Promise<bigint>;
  const call = (functionName: string, id: number, intent = `job:${id}:${functionName}`) => ({
    intent,
    address: market,
    abi,
    functionName,
    args: [BigInt(id), ...(functionName === "createJob" ? [5n] : [])],
  });

  it("simulates first: a call that would revert names the custom error and sends nothing", async () => {
    const { sender: s, store } = sender();
    const before = await nonceOf("pending");
    let error: unknown;
    try {
      await s.send(call("claimJob", 7));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(SimulationRevertedError);
    const revert = error as SimulationRevertedError;
    expect(revert.errorName).to.equal("JobNotOpen");
    expect(revert.args).to.deep.equal({ jobId: 7n });
    expect(revert.formatted).to.equal("JobNotOpen(jobId=7)");
    expect(revert.shortMessage).to.equal("claimJob would revert: JobNotOpen(jobId=7)");
    expect(await nonceOf("pending")).to.equal(before);
    expect(store.txsForIntent("job:7:claimJob")).to.deep.equal([]);
  });

  it("sends, awaits the receipt, and never sends twice for the same intent", async () => {
    const { sender: s, store } = sender();
    await s.send(call("createJob", 1));
    const [a, b] = await Promise.all([s.send(call("claimJob", 1)), s.send(call("claimJob", 1))]);
    expect(a.receipt.status).to.equal("success");
    expect(b.hash).to.equal(a.hash);
    const again = await s.send(call("claimJob", 1));
    expect(again.alreadyDone).to.equal(true);
    expect(again.hash).to.equal(a.hash);
    expect(await read("claimCount", [1n])).to.equal(1n);
    expect(store.txsForIntent("job:1:claimJob").map((t) => t.status)).to.deep.equal(["mined"]);
  });

  it("gives concurrent sends from one key consecutive nonces", async () => {
    const { sender: s } = sender();
    const start = await nonceOf("pending");
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((id) => s.send(call("createJob", id))));
    expect(results.map((r) => r.nonce).sort((x, y) => x - y)).to.deep.equal([0, 1, 2, 3, 4, 5].map((k) => start + k));
    expect(results.every((r) => r.receipt.status === "success")).to.equal(true);
    expect(await nonceOf("latest")).to.equal(start + 6);
  });

  it("replaces a transaction stuck at a low fee (same nonce, fees +12.5 %) and it is mined exactly once", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const sent: SentEvent[] = [];
    const { sender: s, store } = sender({ replaceAfterMs: 300, onSent: (e) => sent.push(e) });
    const pending = s.send(call("createJob", 9));
    await waitFor(() => sent.length === 1, { message: "first send" });
    // The next block's base fee jumps far above what the first transaction offered: it stays in the pool.
    const first = sent[0] as SentEvent;
    await chain.rpc("anvil_setNextBlockBaseFeePerGas", [`0x${(first.maxFeePerGas * 4n).toString(16)}`]);
    await chain.rpc("evm_mine");
    expect(await nonceOf("latest")).to.equal(first.nonce);
    await waitFor(() => sent.length >= 2, { message: "replacement" });
    const second = sent[1] as SentEvent;
    expect(second.replacement).to.equal(true);
    expect(second.nonce).to.equal(first.nonce);
    expect(second.maxFeePerGas * 1000n >= first.maxFeePerGas * 1125n).to.equal(true);
    expect(second.maxPriorityFeePerGas * 1000n >= first.maxPriorityFeePerGas * 1125n).to.equal(true);
    await waitFor(
      async () => {
        await chain.rpc("evm_mine");
        return (await nonceOf("latest")) > first.nonce;
      },
      { intervalMs: 200, message: "the replacement mined" },
    );
    const result = await pending;
    expect(result.nonce).to.equal(first.nonce);
    expect(result.replacements).to.be.at.least(1);
    expect(await read("claimCount", [9n])).to.equal(0n);
    expect((await read("isOpen", [9n])) as unknown).to.equal(true);
    const txs = store.txsForIntent("job:9:createJob");
    expect(txs.filter((t) => t.status === "mined").map((t) => t.hash)).to.deep.equal([result.hash]);
    expect(txs.filter((t) => t.status === "replaced")).to.have.length(txs.length - 1);
    const firstReceipt = await chain.rpc("eth_getTransactionReceipt", [first.hash]);
    expect(firstReceipt).to.equal(null);
  });

  it("after a restart with a pending transaction: re-broadcasts it, waits for it in the background, and does not resend", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const sent: SentEvent[] = [];
    const one = sender({ onSent: (e) => sent.push(e) });
    const lost = one.sender.send(call("createJob", 3)).catch((e: unknown) => e);
    await waitFor(() => sent.length === 1, { message: "first send" });
    one.store.close(); // the process "dies" with the tx in the pool
    await lost;

    const sent2: SentEvent[] = [];
    const two = sender({ onSent: (e) => sent2.push(e) });
    const resumed = await two.sender.resume();
    expect(resumed).to.deep.equal({ owed: ["job:3:createJob"], filled: [] });
    const again = two.sender.send(call("createJob", 3));
    await chain.rpc("evm_mine");
    const r = await again;
    expect(r.hash).to.equal((sent[0] as SentEvent).hash);
    expect(sent2).to.deep.equal([]);

    await chain.rpc("evm_setAutomine", [true]);
    const next = await two.sender.send(call("createJob", 4));
    expect(next.nonce).to.equal((sent[0] as SentEvent).nonce + 1);
  });

  it("after a crash between recording and broadcasting: resume broadcasts the recorded transaction, mined once", async () => {
    const frozen = new Promise<never>(() => undefined);
    const one = sender({ onStep: (step) => (step === "recorded" ? frozen : undefined) });
    void one.sender.send(call("createJob", 5)); // "dies" after the record, before the broadcast
    await waitFor(() => one.store.pendingTxs(account.address).length === 1, { message: "the record" });
    const recorded = one.store.pendingTxs(account.address)[0]!;
    expect(await nonceOf("pending")).to.equal(recorded.nonce); // nothing reached the node

    const two = sender();
    expect(await two.sender.resume()).to.deep.equal({ owed: ["job:5:createJob"], filled: [] });
    const r = await two.sender.send(call("createJob", 5));
    expect(r.hash).to.equal(recorded.hash);
    expect((await read("isOpen", [5n])) as unknown).to.equal(true);
    expect((await two.sender.send(call("createJob", 6))).nonce).to.equal(recorded.nonce + 1);
  });

  it("after a crash between signing and recording: the nonce is still free and the next send takes it", async () => {
    const start = await nonceOf("pending");
    const frozen = new Promise<never>(() => undefined);
    const signed: string[] = [];
    const one = sender({ onStep: (step, intent) => (step === "signed" ? (signed.push(intent), frozen) : undefined) });
    void one.sender.send(call("createJob", 5));
    await waitFor(() => signed.length === 1, { message: "the signature" });

    const two = sender();
    expect(await two.sender.resume()).to.deep.equal({ owed: [], filled: [] });
    const r = await two.sender.send(call("createJob", 7));
    expect(r.nonce).to.equal(start);
    expect(await nonceOf("latest")).to.equal(start + 1);
  });

  it("re-sends the same signed transaction (same nonce) when a reorg removed a mined one", async () => {
    const { sender: s, store } = sender();
    await s.send(call("createJob", 1));
    const snapshot = await chain.rpc<string>("evm_snapshot");
    const first = await s.send(call("claimJob", 1));
    await chain.rpc("evm_revert", [snapshot]); // the block with the claim is gone
    expect(await read("claimCount", [1n])).to.equal(0n);
    const again = await s.send(call("claimJob", 1));
    expect(again.alreadyDone).to.equal(false);
    expect(again.hash).to.equal(first.hash);
    expect(again.nonce).to.equal(first.nonce);
    expect(await read("claimCount", [1n])).to.equal(1n);
    expect(store.txsForIntent("job:1:claimJob").map((t) => t.status)).to.deep.equal(["mined"]);
  });

  it('resyncs on "nonce too low" after the key was used elsewhere', async () => {
    const { sender: s, store } = sender();
    await s.send(call("createJob", 1));
    // Another process uses the same key twice.
    const other = createWalletClient({ chain: foundry, transport: http(chain.url), account });
    for (const id of [50n, 51n])
      await other.writeContract({ address: market, abi, functionName: "createJob", args: [id, 1n] });
    const result = await s.send(call("createJob", 2));
    expect(result.receipt.status).to.equal("success");
    expect(result.nonce).to.equal(3);
    expect(store.getNextNonce(account.address)).to.equal(4);
  });
  it("a send the account could not pay, retried under another intent once funded, is waited for as that intent (same signed bytes)", async () => {
    const poor = privateKeyToAccount(generatePrivateKey());
    const { sender: s, store } = sender({ account: poor });
    const register = (intent: string) => ({ intent, address: market, abi, functionName: "createJob", args: [90n, 1n] });
    let error: unknown;
    try {
      await s.send(register("cli:register:1"));
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(
      new RegExp(`${poor.address} holds 0 of the chain's native token and this transaction may cost up to`),
    );
    await chain.rpc("anvil_setBalance", [poor.address, "0x56bc75e2d63100000"]);
    const result = await s.send(register("cli:register:2"));
    expect(result.receipt.status).to.equal("success");
    expect(store.txsForIntent("cli:register:2").map((t) => t.status)).to.deep.equal(["mined"]);
    expect(store.txsForIntent("cli:register:1")).to.deep.equal([]);
  });

  it("a reorg between reading the nonce and reading the receipt is not taken for someone else using the nonce", async () => {
    const { sender: setup } = sender();
    await setup.send(call("createJob", 1));
    const snapshot = await chain.rpc<string>("evm_snapshot");
    // Receipt reads come back empty (as before the claim is mined) until the nonce count is read from the head with
    // the claim; that block is then reverted before anything else is read: the receipt is gone and the count is back
    // below the claim's nonce. (Withholding only the first receipt read raced the sender's cached count: a loaded
    // machine could read the receipt again before any fresh count, and the reorg never happened.)
    let reverted = false;
    const bent = bentClient(async (req, forward) => {
      if (req.method === "eth_getTransactionReceipt" && !reverted) return null;
      const answer = await forward();
      if (
        !reverted &&
        req.method === "eth_getTransactionCount" &&
        (req.params as unknown[])[1] === "latest" &&
        Number(answer) > 1
      ) {
        reverted = true;
        await chain.rpc("evm_revert", [snapshot]);
      }
      return answer;
    });
    const { sender: s, store } = sender({ client: bent, replaceAfterMs: 200 });
    const result = await s.send(call("claimJob", 1));
    expect(reverted).to.equal(true);
    expect(result.nonce).to.equal(1);
    expect(await read("claimCount", [1n])).to.equal(1n);
    expect(store.txsForIntent("job:1:claimJob").filter((t) => t.status === "mined")).to.have.length(1);
    // No gap was left behind: the next send is mined at the next nonce.
    expect((await s.send(call("createJob", 2))).nonce).to.equal(2);
  });

  it("two RPCs that disagree on the head: a receipt the lagging node has not seen is waited for, not given up", async () => {
    // One node is ahead (counts, blocks), the other behind (no receipt yet) for the first few receipt reads.
    let receiptsHidden = 0;
    const bent = bentClient(async (req, forward) => {
      if (req.method === "eth_getTransactionReceipt" && receiptsHidden < 6) {
        receiptsHidden++;
        return null;
      }
      return forward();
    });
    const { sender: s, store } = sender({ client: bent, takenConfirmations: 0 });
    const result = await s.send(call("createJob", 1));
    expect(receiptsHidden).to.equal(6);
    expect(result.receipt.status).to.equal("success");
    expect(store.txsForIntent("job:1:createJob").map((t) => t.status)).to.deep.equal(["mined"]);
  });

  it("a transaction dropped from the pool is broadcast again and mined once", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const sent: SentEvent[] = [];
    const { sender: s } = sender({ replaceAfterMs: 200, onSent: (e) => sent.push(e) });
    const pending = s.send(call("createJob", 8));
    await waitFor(() => sent.length === 1, { message: "first send" });
    await chain.rpc("anvil_dropTransaction", [(sent[0] as SentEvent).hash]);
    await chain.rpc("evm_mine");
    expect(await nonceOf("latest")).to.equal((sent[0] as SentEvent).nonce);
    await waitFor(
      async () => {
        await chain.rpc("evm_mine");
        return (await nonceOf("latest")) > (sent[0] as SentEvent).nonce;
      },
      { intervalMs: 100, message: "the transaction mined again" },
    );
    const result = await pending;
    expect(result.nonce).to.equal((sent[0] as SentEvent).nonce);
    expect((await read("isOpen", [8n])) as unknown).to.equal(true);
  });

  it("fills a nonce gap (another user of the key left a pool transaction that was dropped) and the stranded send is mined", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const start = await nonceOf("pending");
    const other = createWalletClient({ chain: foundry, transport: http(chain.url), account });
    const foreign = await other.writeContract({
      address: market,
      abi,
      functionName: "createJob",
      args: [60n, 1n],
      nonce: start,
    });
    const { sender: s, store } = sender({ gapRepairAfterMs: 300, replaceAfterMs: 1_000 });
    const stranded = s.send(call("createJob", 9)); // takes start + 1: the pool's count includes the foreign one
    await waitFor(() => store.pendingTxs(account.address).length === 1, { message: "the send" });
    await chain.rpc("anvil_dropTransaction", [foreign]);
    await chain.rpc("evm_setAutomine", [true]);
    await chain.rpc("evm_mine");
    const result = await stranded;
    expect(result.nonce).to.equal(start + 1);
    expect((await read("isOpen", [9n])) as unknown).to.equal(true);
    const fill = store.txsAtNonce(account.address, start);
    expect(fill.map((t) => t.intent)).to.deep.equal([`nonce:${start}:fill`]);
    expect(s.health().gaps).to.deep.equal([]);
  });

  it("a replacement refused as underpriced does not strand the sender: a foreign transaction takes the nonce, confirmed, and the next send follows it", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const sent: SentEvent[] = [];
    const { sender: s, store } = sender({ replaceAfterMs: 100, takenConfirmations: 1, onSent: (e) => sent.push(e) });
    const pending = s.send(call("createJob", 10)).catch((e: unknown) => e);
    await waitFor(() => sent.length === 1, { message: "first send" });
    const first = sent[0] as SentEvent;
    // Another user of the key replaces it in the pool at a fee our bumps stay under (the cap is 500 gwei).
    const other = createWalletClient({ chain: foundry, transport: http(chain.url), account });
    await other.writeContract({
      address: market,
      abi,
      functionName: "createJob",
      args: [70n, 1n],
      nonce: first.nonce,
      maxFeePerGas: parseGwei("900"),
      maxPriorityFeePerGas: parseGwei("400"),
    });
    await sleep(400); // our replacements are refused meanwhile
    await chain.rpc("evm_mine");
    await chain.rpc("evm_mine");
    const error = await pending;
    expect(error).to.be.instanceOf(NonceTakenError);
    expect((error as Error).message).to.include("a transaction this worker did not send");
    expect(store.txsForIntent("job:10:createJob").every((t) => t.status === "dropped")).to.equal(true);
    await chain.rpc("evm_setAutomine", [true]);
    const next = await s.send(call("createJob", 10));
    expect(next.nonce).to.equal(first.nonce + 1);
    expect((await read("isOpen", [70n])) as unknown).to.equal(true);
  });

  it("reports itself stuck while its oldest transaction stays unmined past the bound", async () => {
    await chain.rpc("evm_setAutomine", [false]);
    const { sender: s } = sender({ stuckAfterMs: 300, replaceAfterMs: 60_000 });
    expect(s.health()).to.deep.include({ pending: 0, oldestUnminedNonce: null, stuck: false });
    const pending = s.send(call("createJob", 11));
    await waitFor(() => s.health().pending === 1, { message: "the send" });
    expect(s.health().stuck).to.equal(false);
    await waitFor(() => s.health().stuck, { message: "stuck" });
    expect(s.health().oldestUnminedAgeMs).to.be.greaterThan(300);
    await chain.rpc("evm_mine");
    await pending;
    expect(s.health()).to.deep.include({ pending: 0, stuck: false });
  });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("sender/bumpFees", () => {
  it("raises both fees by at least 12.5 %, follows the market when higher, and respects the caps", () => {
    const prev = { maxFeePerGas: 1000n, maxPriorityFeePerGas: 100n };
    const caps = { maxFeePerGas: 10_000n, maxPriorityFeePerGas: 1_000n };
    const b = bumpFees(prev, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }, caps);
    expect(b.maxFeePerGas >= 1125n && b.maxPriorityFeePerGas >= 113n).to.equal(true);
    expect(bumpFees(prev, { maxFeePerGas: 5000n, maxPriorityFeePerGas: 300n }, caps)).to.deep.include({
      maxFeePerGas: 5000n,
      maxPriorityFeePerGas: 300n,
    });
    expect(bumpFees(prev, { maxFeePerGas: 50_000n, maxPriorityFeePerGas: 5_000n }, caps)).to.deep.equal({
      ...caps,
      capped: true,
    });
  });
});

export type { Hash };
