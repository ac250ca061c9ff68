// The app end to end in a real headless Chromium, against a real local chain, the real contracts and a real worker
// (octo-tiny on llama.cpp), served from the production build. The wallet is the dev-account wallet (wagmi's mock
// connector): anvil signs for the dev accounts, everything else is what a person with a browser wallet gets.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { bytesToHex, createWalletClient, http, parseUnits, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV_ROLES, fundAccount } from "@octo/devnet";
import { deriveEncryptionKey, jobMarketAbi, stakingRegistryAbi } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketReturnType } from "@octo/worker/localMarket";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { startWeb, type StartWebReturnType } from "../serve/startWeb.ts";
import { connectDevWallet } from "./connectDevWallet.ts";
import { launchChromium } from "./launchChromium.ts";

const ARTIFACTS = new URL("../artifacts/e2e/", import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the web app, end to end", () => {
  let market: StartLocalMarketReturnType;
  let web: StartWebReturnType;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let jobUrl = "";

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium(); // first: without Chromium there is no point starting the rest
    market = await startLocalMarket({ model: "octo-tiny" });
    web = await startWeb({
      deploymentsPath: market.deploymentsPath,
      rpcUrl: market.devnet.rpcUrl,
      streamUrls: { [market.provider.address]: market.worker.stream.url },
    });
    page = await browser.context.newPage();
  });

  // A failing step leaves the page as it was, for the person reading the failure.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      for (const [i, p] of browser.context.pages().entries())
        await shot(p, `failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}-${i}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await market?.stop();
  });

  it("a user pays for a job and reads the streamed and the final answer", async () => {
    await page.goto(web.url);
    await page.getByTestId("no-wallet").waitFor();
    await page.getByTestId("offers").waitFor(); // the market's offers read without a wallet
    await shot(page, "1-job-page-no-wallet");
    await connectDevWallet(page, /Dev user/);
    await page.getByTestId("offers").getByText("qualifies").waitFor();
    await page.getByTestId("question").fill("17 + 25");
    // The app writes octo-tiny's own prompt format, as the worker's model package renders it.
    await expect(page.locator(".preview").textContent()).resolves.toBe(JSON.stringify(renderOctoTinyPrompt("17 + 25")));
    await page.getByTestId("max-cost").getByText("At most").waitFor();
    await shot(page, "2-job-page-ready");
    await page.getByTestId("pay").click();

    await page.waitForURL(/\/jobs\/\d+$/, { timeout: 120_000 });
    jobUrl = page.url();
    await page.getByTestId("answer").waitFor({ timeout: 240_000 });
    expect((await page.getByTestId("answer").textContent())?.trim()).toBe("42");
    // The stream was read live and matched the proven result.
    await expect(page.getByTestId("stream-summary").textContent()).resolves.toMatch(/same as the proven answer/);
    await page.getByTestId("receipt").getByText("✓ proofs verified").waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("explorer-link").getAttribute("href")).toBe(
      `/explorer/jobs/${jobUrl.split("/").at(-1)}`,
    );
    await shot(page, "3-job-answered");
  });

  it("the answer survives a reload: the wallet derives the job's key again", async () => {
    await page.goto(jobUrl);
    await page.getByTestId("unlock").click();
    await page.getByTestId("answer").waitFor({ timeout: 60_000 });
    expect((await page.getByTestId("answer").textContent())?.trim()).toBe("42");
    await shot(page, "4-job-after-reload");

    await page.goto(`${web.url}/history`);
    await page.getByTestId("open-all").click();
    const jobId = jobUrl.split("/").at(-1)!;
    await expect.poll(() => page.getByTestId(`history-answer-${jobId}`).textContent(), { timeout: 60_000 }).toBe("42");
    await shot(page, "5-history");
  });

  it("a wallet on the wrong network is told so and offered the switch", async () => {
    await page.goto(web.url);
    await page.getByTestId("rk-chain-button").click();
    await page.getByTestId("rk-chain-option-80002").click();
    await page.getByTestId("wrong-network").waitFor();
    expect(await page.getByTestId("wrong-network").textContent()).toMatch(/Polygon Amoy.*Local chain/);
    await shot(page, "6-wrong-network");
    await page
      .getByTestId("wrong-network")
      .getByRole("button", { name: /Switch to Local chain/ })
      .click();
    await page.getByTestId("wrong-network").waitFor({ state: "detached" });
  });

  it("a transaction the person rejects in the wallet is explained, and nothing is paid", async () => {
    const rpc = market.devnet.rpcUrl;
    // The wallet's "Reject" button, at the one place a wallet decides: the request to send the transaction.
    await page.route(
      (url) => url.href.startsWith(rpc),
      async (route) => {
        const body = route.request().postDataJSON() as { id: number; method: string } | undefined;
        if (body?.method !== "eth_sendTransaction") return route.continue();
        await route.fulfill({
          contentType: "application/json",
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: body.id,
            error: { code: 4001, message: "User rejected the request." },
          }),
        });
      },
    );
    try {
      await page.goto(web.url);
      await page.getByTestId("offers").getByText("qualifies").waitFor();
      await page.getByTestId("question").fill("3 + 4");
      await page.getByTestId("pay").click();
      const notice = page.locator('[data-error-kind="rejected"]');
      await notice.waitFor({ timeout: 120_000 });
      expect(await notice.textContent()).toMatch(/You declined in your wallet.*Nothing was sent/);
      await shot(page, "7-rejected");
    } finally {
      await page.unrouteAll();
    }
  });

  it("when the provider's stream is unreachable the answer comes from the chain", async () => {
    const stream = market.worker.stream.url;
    await page.route(
      (url) => url.href.startsWith(stream),
      (route) => route.abort("connectionrefused"),
    );
    try {
      await page.goto(web.url);
      await page.getByTestId("offers").getByText("qualifies").waitFor();
      await page.getByTestId("question").fill("17 + 25");
      await page.getByTestId("pay").click();
      await page.waitForURL(/\/jobs\/\d+$/, { timeout: 120_000 });
      await page.getByTestId("stream-fallback").waitFor({ timeout: 60_000 });
      await shot(page, "9-stream-fallback");
      await page.getByTestId("answer").waitFor({ timeout: 240_000 });
      expect((await page.getByTestId("answer").textContent())?.trim()).toBe("42");
      expect(await page.getByTestId("stream-summary").count()).toBe(0); // nothing was streamed
    } finally {
      await page.unrouteAll();
    }
  });

  it("an RPC that does not answer is said so in plain words", async () => {
    const rpc = market.devnet.rpcUrl;
    await page.route(
      (url) => url.href.startsWith(rpc),
      (route) => route.abort("connectionrefused"),
    );
    try {
      await page.goto(web.url);
      const notice = page.locator('[data-error-kind="rpc"]').first();
      await notice.waitFor({ timeout: 60_000 });
      const text = await notice.textContent();
      expect(text).toContain(`The RPC (${rpc}`);
      expect(text).toContain("did not answer");
      await shot(page, "10-rpc-down");
    } finally {
      await page.unrouteAll();
    }
  });

  it("a new provider registers, stakes for a tier and adds an offer", async () => {
    const account = privateKeyToAccount(DEV_ROLES.validators[0]);
    await fundAccount({
      rpcUrl: market.devnet.rpcUrl,
      deployments: market.devnet.deployments,
      address: account.address,
    });
    const provider = await browser.context.newPage();
    await provider.goto(`${web.url}/provider`);
    // Another person in the same browser: the user's dev wallet is connected; switch to the spare account.
    await provider.getByTestId("rk-account-button").click();
    await provider.getByRole("button", { name: "Disconnect" }).click();
    await connectDevWallet(provider, /Dev spare account/);
    await provider.getByTestId("register-button").click();
    await provider.getByTestId("provider-status").waitFor({ timeout: 60_000 });
    await provider.getByTestId("stake-amount").fill("1500");
    await provider.getByTestId("stake-button").click();
    await expect.poll(() => provider.getByTestId("stake").textContent(), { timeout: 60_000 }).toBe("1,500 OCTO");
    await provider
      .getByTestId(/^offer-price-/)
      .first()
      .fill("7");
    await provider
      .getByTestId(/^offer-set-/)
      .first()
      .click();
    await provider.getByTestId("provider-offers").getByText("Change").waitFor({ timeout: 60_000 });
    await shot(provider, "8-provider-dashboard");

    const staking = { address: market.devnet.contracts.StakingRegistry.address, abi: stakingRegistryAbi } as const;
    const record = await market.devnet.publicClient.readContract({
      ...staking,
      functionName: "getProvider",
      args: [account.address],
    });
    expect(record.registered).toBe(true);
    expect(record.accepting).toBe(true);
    expect(record.stake).toBe(parseUnits("1500", 18));
    const offer = await market.devnet.publicClient.readContract({
      ...staking,
      functionName: "getOffer",
      args: [account.address, market.devnet.modelId!, market.devnet.contracts.MockUSDC.address],
    });
    expect(offer).toMatchObject({ active: true, pricePerToken: 7n });
    // The key registered from the browser is the one the worker derives for the same account.
    expect(record.encryptionKey).toBe(bytesToHex((await deriveEncryptionKey(account)).publicKey));
    await provider.close();
  });

  it("a dispute: the committee is drawn, the job revealed to it, the votes come in and the outcome shows", async () => {
    // Two more staked providers offer the model (the one registered above is the third): a committee can be drawn.
    // Their votes are cast below from their accounts, as their workers would after re-running the job.
    for (const key of DEV_ROLES.validators.slice(1, 3)) {
      const account = privateKeyToAccount(key);
      await market.devnet.registerProvider({
        account,
        encryptionPublicKey: bytesToHex((await deriveEncryptionKey(account)).publicKey),
        pricePerToken: 1_000_000n,
        maxContext: 64,
      });
    }
    // The previous test left the spare account connected in this browser: the user connects again.
    await page.goto(jobUrl);
    await page.getByTestId("rk-account-button").click();
    await page.getByRole("button", { name: "Disconnect" }).click();
    await connectDevWallet(page, /Dev user/);
    await page.getByTestId("unlock").click();
    await page.getByTestId("answer").waitFor({ timeout: 60_000 });

    await page.getByTestId("dispute-button").click();
    await page.getByTestId("dispute-committed").waitFor({ timeout: 60_000 });
    await shot(page, "11-dispute-committed");
    // The committee comes from the hash of the block after the dispute's: on a public chain it is mined within
    // seconds; the local chain mines only on transactions, so two blocks are mined here.
    await market.devnet.passTime(1);
    await market.devnet.passTime(1);
    await page.getByTestId("dispute-draw").click();
    await page.getByTestId("committee").waitFor({ timeout: 120_000 });

    // The user reveals the job to the committee, unless the accused provider's worker (which reveals too, as an
    // honest provider wants a quick verdict) was first and the button is already gone.
    const revealed = page.getByText(/The job’s secret was revealed to them by/);
    const reveal = page.getByTestId("dispute-reveal");
    await Promise.race([reveal.waitFor({ timeout: 60_000 }), revealed.waitFor({ timeout: 60_000 })]);
    if (await reveal.isVisible()) await reveal.click({ timeout: 10_000 }).catch(() => undefined);
    await revealed.waitFor({ timeout: 60_000 });
    expect(await revealed.textContent()).toMatch(/revealed to them by (you|the provider)/);

    const jobId = BigInt(jobUrl.split("/").at(-1)!);
    const [committee] = await market.devnet.publicClient.readContract({
      address: market.devnet.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "getDispute",
      args: [jobId],
    });
    expect(committee.length).toBeGreaterThanOrEqual(2);
    const keyOf = new Map(DEV_ROLES.validators.map((k) => [privateKeyToAccount(k).address.toLowerCase(), k as Hex]));
    const vote = async (member: Hex) => {
      const wallet = createWalletClient({
        account: privateKeyToAccount(keyOf.get(member.toLowerCase())!),
        transport: http(market.devnet.rpcUrl),
        chain: foundry,
      });
      const hash = await wallet.writeContract({
        address: market.devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "voteOnDispute",
        args: [jobId, false],
      });
      await market.devnet.publicClient.waitForTransactionReceipt({ hash });
    };
    await vote(committee[0]!);
    await expect
      .poll(() => page.getByTestId("dispute-tally").textContent(), { timeout: 60_000 })
      .toBe("0 at fault · 1 result stands");
    await shot(page, "12-dispute-voting");
    await vote(committee[1]!);
    await page.getByTestId("dispute-outcome").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("dispute-outcome").textContent()).toMatch(/Settled for the provider/);
    expect(await page.getByTestId("dispute").getAttribute("data-stage")).toBe("outcome");
    await shot(page, "13-dispute-outcome");
  });

  it("the running provider sees its earnings over time and its worker's health", async () => {
    const provider = await browser.context.newPage();
    await provider.goto(`${web.url}/provider`);
    await provider.getByTestId("rk-account-button").click();
    await provider.getByRole("button", { name: "Disconnect" }).click();
    await connectDevWallet(provider, /Dev provider/);
    await provider.getByTestId("provider-status").waitFor({ timeout: 60_000 });
    // The disputed job settled for the provider above: its payout is on the charts.
    await provider.getByTestId("chart-earned").waitFor({ timeout: 60_000 });
    expect(await provider.getByTestId("chart-tokens-served").locator("path").getAttribute("d")).toMatch(/^M0,80 /);
    await provider.getByTestId("worker-url").fill(market.worker.ops.url);
    await provider.getByTestId("worker-url-set").click();
    await provider.getByTestId("worker-status").waitFor({ timeout: 60_000 });
    expect(await provider.getByTestId("worker-status").textContent()).toMatch(/^Worker (healthy|degraded)$/);
    await shot(provider, "14-provider-charts-health");
    await provider.close();
  });
});
