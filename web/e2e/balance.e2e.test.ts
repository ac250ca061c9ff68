// The prepaid balance in a real headless Chromium, against a real local chain, the real contracts and a real worker
// (octo-tiny on llama.cpp), served from the production build: the user deposits, pays a job from the balance in one
// wallet transaction, gets the unused escrow back into the balance when the worker finalizes, and withdraws; the
// provider then withdraws what the job paid it, held in the market.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createTestClient, erc20Abi, http, parseEventLogs, type Address } from "viem";
import { foundry } from "viem/chains";
import { getBalance, getJob, jobMarketAbi } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketReturnType } from "@octo/worker/localMarket";
import { startWeb, type StartWebReturnType } from "../serve/startWeb.ts";
import { connectDevWallet } from "./connectDevWallet.ts";
import { launchChromium } from "./launchChromium.ts";

const ARTIFACTS = new URL("../artifacts/e2e/", import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the prepaid balance, end to end", () => {
  let market: StartLocalMarketReturnType;
  let web: StartWebReturnType;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let token: Address;
  const ONE = 1_000_000n; // 1 MockUSDC (6 decimals)
  /** Every eth_sendTransaction the page's wallet sends: what a person confirms in a wallet. */
  const sent: string[] = [];

  const chainBalance = () =>
    getBalance(market.devnet.publicClient, {
      deployments: market.devnet.deployments,
      token,
      account: market.devnet.user.address,
    });
  const walletTokens = () =>
    market.devnet.publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [market.devnet.user.address],
    });
  const shownBalance = async () =>
    BigInt((await page.getByTestId("market-balance-amount").getAttribute("data-amount")) ?? "-1");

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    market = await startLocalMarket({ model: "octo-tiny" });
    token = market.devnet.contracts.MockUSDC.address;
    web = await startWeb({
      deploymentsPath: market.deploymentsPath,
      rpcUrl: market.devnet.rpcUrl,
      streamUrls: { [market.provider.address]: market.worker.stream.url },
    });
    page = await browser.context.newPage();
    page.on("request", (request) => {
      if (!request.url().startsWith(market.devnet.rpcUrl) || request.method() !== "POST") return;
      const body = request.postDataJSON() as { method?: string } | { method?: string }[] | null;
      for (const call of [body ?? []].flat()) if (call.method === "eth_sendTransaction") sent.push(request.url());
    });
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await shot(page, `failed-balance-${task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await market?.stop();
  });

  it("a deposit shows in the balance and is held by the market", async () => {
    await page.goto(web.url);
    await connectDevWallet(page, /Dev user/);
    await expect.poll(shownBalance, { timeout: 60_000 }).toBe(0n);
    await page.getByTestId("balance-amount").fill("1");
    await page.getByTestId("deposit").click();
    await expect.poll(shownBalance, { timeout: 120_000 }).toBe(ONE);
    expect(await chainBalance()).toBe(ONE);
    await shot(page, "balance-1-deposited");
  });

  let jobId = 0n;
  let escrow = 0n;

  it("a job is paid from the balance in one wallet transaction, no approval", async () => {
    await page.getByTestId("offers").getByText("qualifies").waitFor({ timeout: 60_000 });
    await page.getByTestId("question").fill("17 + 25");
    await page.getByTestId("max-cost").getByText("At most").waitFor();
    // The balance covers the most the job can cost, so the form chose it.
    await expect.poll(() => page.getByTestId("payment").inputValue()).toBe("balance");
    const before = sent.length;
    await page.getByTestId("pay").click();
    await page.waitForURL(/\/jobs\/\d+$/, { timeout: 120_000 });
    expect(sent.length - before).toBe(1);

    jobId = BigInt(page.url().split("/").at(-1)!);
    const created = await market.devnet.publicClient.getContractEvents({
      address: market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobCreated",
      args: { jobId },
      fromBlock: 0n,
    });
    expect(created[0]!.args.fromBalance).toBe(true);
    escrow = created[0]!.args.escrow!;
    const receipt = await market.devnet.publicClient.getTransactionReceipt({ hash: created[0]!.transactionHash });
    expect(parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: "Approval" })).toEqual([]);
    expect(await chainBalance()).toBe(ONE - escrow);
    await page.getByTestId("answer").waitFor({ timeout: 240_000 });
    expect((await page.getByTestId("answer").textContent())?.trim()).toBe("42");
  });

  it("after the job settles, the unused escrow is back in the balance", async () => {
    const reader = market.devnet.publicClient;
    const status = async () => (await getJob(reader, { deployments: market.devnet.deployments, jobId })).statusName;
    await expect.poll(status, { timeout: 240_000 }).toBe("Submitted");
    await market.devnet.passChallengeWindow();
    await expect.poll(status, { timeout: 120_000 }).toBe("Finalized"); // the worker finalizes, for its pay
    const [finalized] = await reader.getContractEvents({
      address: market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobFinalized",
      args: { jobId },
      fromBlock: 0n,
    });
    const refund = finalized!.args.refundAmount!;
    expect(refund).toBeGreaterThan(0n); // "42" bills fewer tokens than the job paid for
    await page.goto(web.url);
    await expect.poll(shownBalance, { timeout: 60_000 }).toBe(ONE - escrow + refund);
    await shot(page, "balance-2-refunded");
  });

  it("a withdrawal sends exactly the amount to the wallet", async () => {
    const [held, wallet] = [await chainBalance(), await walletTokens()];
    await page.getByTestId("balance-amount").fill("0.5");
    await page.getByTestId("withdraw").click();
    await expect.poll(shownBalance, { timeout: 120_000 }).toBe(held - ONE / 2n);
    expect((await walletTokens()) - wallet).toBe(ONE / 2n);
    await shot(page, "balance-3-withdrawn");
  });

  it("the provider sees its earnings held in the market and withdraws them in one transfer", async () => {
    const provider = market.provider.address;
    const earned = await getBalance(market.devnet.publicClient, {
      deployments: market.devnet.deployments,
      token,
      account: provider,
    });
    expect(earned).toBeGreaterThan(0n); // the job above paid it
    const tokensOf = () =>
      market.devnet.publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [provider],
      });
    const wallet = await tokensOf();
    // anvil holds no signer for the running provider's key (DEV_ROLES.provider): it signs for it, as the dev wallet
    // needs, only once told to impersonate it (the chain is local; nothing else is faked).
    await createTestClient({ chain: foundry, mode: "anvil", transport: http(market.devnet.rpcUrl) }).impersonateAccount(
      {
        address: provider,
      },
    );
    await page.getByTestId("rk-account-button").click();
    await page.getByRole("button", { name: "Disconnect" }).click();
    await connectDevWallet(page, /Dev provider/);
    await page.goto(`${web.url}/provider`);
    await expect.poll(shownBalance, { timeout: 60_000 }).toBe(earned);
    await shot(page, "balance-4-provider-earnings");
    await page.getByTestId("withdraw-earnings").click();
    await expect.poll(shownBalance, { timeout: 120_000 }).toBe(0n);
    expect((await tokensOf()) - wallet).toBe(earned);
  });
});
