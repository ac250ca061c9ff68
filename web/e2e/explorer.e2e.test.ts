// The explorer in a real headless Chromium, against a local market (fixture model, real proofs), its indexer and the
// production build: the list of jobs and its filters, a receipt's steps, its Verify in the browser (green), the same
// receipt with one proof word flipped in the browser's copy of the chain's logs (red, naming the check), the totals and
// a provider's profile. The chain is never touched: the tampering happens in the RPC answer the page receives.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { getJob, getResult } from "@octo/sdk";
import { startWeb, type StartWebReturnType } from "../serve/startWeb.ts";
import { startExplorerMarket, type ExplorerMarket } from "./explorerMarket.ts";
import { launchChromium } from "./launchChromium.ts";
import { tamperLogsWith } from "./tamperLogs.ts";

const ARTIFACTS = new URL("../artifacts/e2e/", import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the explorer, end to end", () => {
  let env: ExplorerMarket;
  let web: StartWebReturnType;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    env = await startExplorerMarket();
    web = await startWeb({
      deploymentsPath: env.market.deploymentsPath,
      rpcUrl: env.market.devnet.rpcUrl,
      indexerUrl: env.indexer.url,
      streamUrls: { [env.market.provider.address]: env.market.worker.stream.url },
    });
    page = await browser.context.newPage();
  });

  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      await shot(page, `explorer-failed-${task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => undefined);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await env?.stop();
  });

  const row = (jobId: bigint) => page.getByTestId(`job-row-${jobId}`);

  it("lists every job with its state, newest first", async () => {
    const { finalized, submitted, cancelled } = env.jobs;
    await page.goto(`${web.url}/explorer`);
    await row(finalized).waitFor({ timeout: 60_000 });
    const ids = await page
      .getByTestId("jobs-table")
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")));
    expect(ids).toEqual([cancelled, submitted, finalized].map((id) => `job-row-${id}`));
    expect(await row(finalized).getAttribute("data-state")).toBe("Finalized");
    expect(await row(submitted).getAttribute("data-state")).toBe("Submitted");
    expect(await row(cancelled).getAttribute("data-state")).toBe("Cancelled");
    await shot(page, "explorer-1-jobs");
  });

  it("filters by state, by provider and by date, and exports what it shows as CSV", async () => {
    const { finalized, submitted, cancelled } = env.jobs;
    await page.goto(`${web.url}/explorer`);
    await row(finalized).waitFor({ timeout: 60_000 });
    await page.getByTestId("filter-state").selectOption("Cancelled");
    await page.getByTestId("apply-filters").click();
    await row(finalized).waitFor({ state: "detached" });
    expect(await page.getByTestId("jobs-table").locator("tbody tr").count()).toBe(1);
    await row(cancelled).waitFor();
    await shot(page, "explorer-2-filter-state");

    await page.goto(`${web.url}/explorer?provider=${env.market.provider.address}`);
    await row(finalized).waitFor({ timeout: 60_000 });
    await row(submitted).waitFor();
    expect(await page.getByTestId("jobs-table").locator("tbody tr").count()).toBe(2);
    const download = page.waitForEvent("download");
    await page.getByTestId("csv-jobs").click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("job,state,user,provider,model,tokens,paid,refund,created,block");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      `${submitted},Submitted`,
      `${finalized},Finalized`,
    ]);

    // The chain's clock is in the future of the host's; a day before every job matches none.
    await page.getByTestId("filter-to").fill("2020-01-01");
    await page.getByTestId("apply-filters").click();
    await page.getByTestId("no-jobs").waitFor();
  });

  it("keeps its filters in the address: a reload and a way back show the same filtered list, a shared address opens filtered", async () => {
    const { finalized, submitted, cancelled } = env.jobs;
    const ids = () =>
      page
        .getByTestId("jobs-table")
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")));
    await page.goto(`${web.url}/explorer`);
    await row(cancelled).waitFor({ timeout: 60_000 });
    await page.getByTestId("filter-state").selectOption("Finalized");
    await page.getByTestId("apply-filters").click();
    await page.waitForURL((url) => url.searchParams.get("state") === "Finalized");
    await row(cancelled).waitFor({ state: "detached" });

    await page.reload();
    await row(finalized).waitFor({ timeout: 60_000 });
    await expect.poll(ids).toEqual([`job-row-${finalized}`]);
    expect(await page.getByTestId("filter-state").inputValue()).toBe("Finalized");

    // To a receipt and back: the list is still filtered.
    await row(finalized)
      .getByRole("link", { name: `#${finalized}` })
      .click();
    await page.waitForURL(new RegExp(`/explorer/jobs/${finalized}$`));
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/explorer" && url.searchParams.get("state") === "Finalized");
    await row(finalized).waitFor({ timeout: 60_000 });
    await expect.poll(ids).toEqual([`job-row-${finalized}`]);

    // An address someone shared, opened in a new tab: its filters are applied and shown in the form.
    const provider = env.market.provider.address;
    const shared = await browser.context.newPage();
    try {
      await shared.goto(`${web.url}/explorer?provider=${provider}&state=Submitted`);
      await shared.getByTestId(`job-row-${submitted}`).waitFor({ timeout: 60_000 });
      await expect
        .poll(() =>
          shared
            .getByTestId("jobs-table")
            .locator("tbody tr")
            .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid"))),
        )
        .toEqual([`job-row-${submitted}`]);
      expect(await shared.getByTestId("filter-state").inputValue()).toBe("Submitted");
      expect(await shared.getByTestId("filter-provider").inputValue()).toBe(provider);
      await shot(shared, "explorer-2b-shared-filters");
    } finally {
      await shared.close();
    }
  });

  it("shows a receipt's steps with block, transaction and time, and it verifies green in the browser", async () => {
    const { finalized } = env.jobs;
    await page.goto(`${web.url}/explorer`);
    await row(finalized)
      .getByRole("link", { name: `#${finalized}` })
      .click();
    await page.waitForURL(new RegExp(`/explorer/jobs/${finalized}$`));
    await page.getByTestId("job-state").getByText("Finalized").waitFor({ timeout: 60_000 });
    const steps = page.getByTestId("step");
    await expect.poll(() => steps.count(), { timeout: 30_000 }).toBe(4);
    const first = await steps.first().locator("td").allTextContents();
    expect(first[0]).toBe("JobCreated");
    expect(first[2]).toMatch(/^\d+$/); // block
    expect(first[3]).toMatch(/^0x[0-9a-f]{16}/); // transaction
    expect(first[4]).toMatch(/UTC$/);
    expect((await steps.allTextContents()).map((s) => s.match(/^[A-Za-z]+/)?.[0])).toEqual([
      "JobCreated",
      "JobClaimed",
      "ResultSubmitted",
      "JobFinalized",
    ]);

    await page.getByTestId("verify").click();
    const verdict = page.getByTestId("verify-result");
    await verdict.waitFor({ timeout: 120_000 });
    expect(await verdict.getAttribute("data-ok")).toBe("true");
    for (const name of ["outputRoot", "tokenCount", "ciphertextHash", "chunk[0].ciphertextDigest", "chunk[0].proof"])
      expect(await page.getByTestId(`check-${name}`).getAttribute("data-ok"), name).toBe("true");
    expect(Number(await verdict.getAttribute("data-ms"))).toBeGreaterThan(0);
    await shot(page, "explorer-3-receipt-verified");
  });

  it("a receipt whose proof was tampered with in the browser's copy of the logs shows red, naming the check", async () => {
    const { submitted } = env.jobs;
    const { devnet } = env.market;
    const result = await getResult(devnet.publicClient, { deployments: devnet.deployments, jobId: submitted });
    const word = result.proofs[0]![0];
    // Flip the lowest bit of the proof's first word (A.x) wherever the page reads the logs: the point leaves the curve.
    await tamperLogsWith(page, devnet.rpcUrl, word, word ^ 1n);
    try {
      await page.goto(`${web.url}/explorer/jobs/${submitted}`);
      await page.getByTestId("verify").click();
      const verdict = page.getByTestId("verify-result");
      await verdict.waitFor({ timeout: 120_000 });
      expect(await verdict.getAttribute("data-ok")).toBe("false");
      expect(await page.getByTestId("check-chunk[0].proof").getAttribute("data-ok")).toBe("false");
      // Only the proof was touched: the ciphertext still matches its digest.
      expect(await page.getByTestId("check-chunk[0].ciphertextDigest").getAttribute("data-ok")).toBe("true");
      expect(await verdict.textContent()).toMatch(/1 check\(s\) failed/);
      await shot(page, "explorer-4-receipt-tampered");
    } finally {
      await page.unrouteAll();
    }
    // The same receipt, untampered, verifies.
    await page.goto(`${web.url}/explorer/jobs/${submitted}`);
    await page.getByTestId("verify").click();
    await page.getByTestId("verify-result").waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("verify-result").getAttribute("data-ok")).toBe("true");
  });

  it("totals per provider and per model, with their charts", async () => {
    await page.goto(`${web.url}/explorer/totals`);
    const provider = env.market.provider.address.toLowerCase();
    // The registry counts a provider's tokens when a job is finalized: here, the one finalized job's.
    const { devnet } = env.market;
    const finalized = await getJob(devnet.publicClient, { deployments: devnet.deployments, jobId: env.jobs.finalized });
    const cells = page.getByTestId(`totals-providers-${provider}`).locator("td");
    await expect
      .poll(async () => (await cells.allTextContents()).slice(1, 3), { timeout: 60_000 })
      .toEqual(["2", String(finalized.tokenCount)]);
    await page.getByTestId("chart-provider-volume").locator("rect").first().waitFor();
    // Each table loads on its own: wait for the model's row rather than count what is there now.
    await expect.poll(() => page.getByTestId("totals-models").locator("tbody tr").count(), { timeout: 60_000 }).toBe(1);
    // Every job of the market counted on its day (the local chain's days, one payment token).
    const created = page.getByTestId("totals-days").locator("tbody tr td:nth-child(2)");
    await expect
      .poll(async () => (await created.allTextContents()).reduce((n, c) => n + Number(c), 0), { timeout: 60_000 })
      .toBe(3);
    await shot(page, "explorer-5-totals");
  });

  it("a provider's public profile: stake, offers, earnings over time; and the app's job page links to the receipt", async () => {
    await page.goto(`${web.url}/explorer/providers/${env.market.provider.address}`);
    await expect.poll(() => page.getByTestId("profile-stake").textContent(), { timeout: 60_000 }).toBe("2,000 OCTO");
    await page.getByTestId("profile-offers").locator("tbody tr").first().waitFor();
    await page.getByTestId("earnings-chart").locator("path").waitFor();
    // Its jobs (the finalized and the submitted one), newest first, each linking to its receipt.
    const latest = page.getByTestId("profile-jobs").locator("tbody tr td:first-child");
    await expect
      .poll(() => latest.allTextContents(), { timeout: 60_000 })
      .toEqual([`#${env.jobs.submitted}`, `#${env.jobs.finalized}`]);
    await shot(page, "explorer-6-provider");

    await page.goto(`${web.url}/jobs/${env.jobs.finalized}`);
    await page.getByTestId("explorer-link").click();
    await page.waitForURL(new RegExp(`/explorer/jobs/${env.jobs.finalized}$`));
    await page.getByTestId("steps").waitFor();
  });
});
