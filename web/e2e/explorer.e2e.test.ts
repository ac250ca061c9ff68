// The explorer in a real headless Chromium, against a local market (fixture model, real proofs), its indexer and the
// production build: the list of jobs and its filters, a receipt's steps, its Verify in the browser (green), the same
// receipt with one proof word flipped in the browser's copy of the chain's logs (red, naming the check), the totals and
// a provider's profile. The chain is never touched: the tampering happens in the RPC answer the page receives. The last
// tests add jobs (a disputed one, another user's on a second model) and so come after every test that counts jobs.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { getJob, getResult } from "@octo/sdk";
import { startWeb, type StartWebReturnType } from "../serve/startWeb.ts";
import { disputeServedJob, otherUsersJobs, startExplorerMarket, type ExplorerMarket } from "./explorerMarket.ts";
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

  // Set by the dispute test: the devnet user's fourth job, listed by the paging and filter test after it.
  let disputed: bigint | undefined;
  const download = async (testId: string) => {
    const file = page.waitForEvent("download");
    await page.getByTestId(testId).click();
    return readFileSync((await (await file).path())!, "utf8")
      .trim()
      .split("\r\n");
  };

  it("a disputed job's receipt shows its committee and each seat's vote, and exports them and its chunks as CSV", async () => {
    const { jobId, committee, voter } = await disputeServedJob(env);
    disputed = jobId;
    await page.goto(`${web.url}/explorer/jobs/${jobId}`);
    await page.getByTestId("job-state").getByText("Disputed").waitFor({ timeout: 60_000 });
    // Every seat in the order drawn: the member who voted, clean; the others without a vote (yet).
    const expected = committee.map((m) => [
      m.toLowerCase(),
      m.toLowerCase() === voter.toLowerCase() ? "clean" : "no vote",
    ]);
    const seats = () =>
      page
        .getByTestId("vote")
        .evaluateAll((rows) =>
          rows.map((r) => [r.querySelector("a")?.getAttribute("title")?.toLowerCase(), r.getAttribute("data-vote")]),
        );
    await expect.poll(seats, { timeout: 60_000 }).toEqual(expected);
    expect(await page.getByTestId("dispute").textContent()).toMatch(/0 provider at fault · 1 clean/);
    const steps = (await page.getByTestId("step").allTextContents()).map((s) => s.match(/^[A-Za-z]+/)?.[0]);
    // (The accused provider's worker may reveal the job's secret before or after the vote.)
    expect(steps).toEqual(expect.arrayContaining(["ResultSubmitted", "DisputeOpened", "DisputeVoted"]));
    await shot(page, "explorer-7-disputed");

    const votes = await download(`csv-job-${jobId}-votes`);
    expect(votes[0]).toBe("validator,vote,block,transaction,time (UTC)");
    expect(votes.slice(1).map((l) => l.split(",").slice(0, 2))).toEqual(expected);
    const voted = votes
      .slice(1)
      .find((l) => l.includes(",clean,"))!
      .split(",");
    expect(voted[2]).toMatch(/^\d+$/);
    expect(voted[3]).toMatch(/^0x[0-9a-f]{64}$/);
    const chunks = await download(`csv-job-${jobId}-chunks`);
    expect(chunks[0]).toBe("chunk,bytes,tokens,output commitment");
    expect(chunks[1]).toMatch(/^0,\d+,\d+,\d+$/); // the commitment is a field element, in decimal
  });

  it("filters by user and by model, and pages 20 jobs at a time", async () => {
    const { finalized, submitted, cancelled } = env.jobs;
    expect(disputed, "the dispute test ran first").toBeDefined();
    const other = await otherUsersJobs(env, 18);
    const ids = () =>
      page
        .getByTestId("jobs-table")
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")!.replace("job-row-", "")));
    const newestFirst = (list: readonly bigint[]) => [...list].sort((a, b) => (a < b ? 1 : -1)).map(String);
    const all = newestFirst([finalized, submitted, cancelled, disputed!, ...other.jobIds]);
    const others = new Set(other.jobIds.map(String));
    const othersShown = all.filter((id) => others.has(id));
    const usersShown = all.filter((id) => !others.has(id));

    // 22 jobs: the newest 20 on the first page, the oldest 2 on the second.
    await page.goto(`${web.url}/explorer`);
    await expect.poll(ids, { timeout: 60_000 }).toEqual(all.slice(0, 20));
    expect(await page.getByTestId("page-prev").isDisabled()).toBe(true);
    await page.getByTestId("page-next").click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2");
    await expect.poll(ids, { timeout: 60_000 }).toEqual(all.slice(20));
    expect(await page.getByTestId("page-number").textContent()).toBe("Page 2");
    expect(await page.getByTestId("page-next").isDisabled()).toBe(true);
    await shot(page, "explorer-8-page-2");
    await page.getByTestId("page-prev").click();
    await page.waitForURL((url) => !url.searchParams.has("page"));
    await expect.poll(ids, { timeout: 60_000 }).toEqual(all.slice(0, 20));

    // By user: the other user's 18 (one page), then the devnet user's 4.
    await page.getByTestId("filter-user").fill(other.user);
    await page.getByTestId("apply-filters").click();
    await page.waitForURL((url) => url.searchParams.get("user") !== null);
    await expect.poll(ids, { timeout: 60_000 }).toEqual(othersShown);
    expect(await page.getByTestId("page-next").isDisabled()).toBe(true);
    await page.getByTestId("filter-user").fill(env.market.devnet.user.address);
    await page.getByTestId("apply-filters").click();
    await expect.poll(ids, { timeout: 60_000 }).toEqual(usersShown);

    // By model: the second model's jobs are the other user's; the devnet user has none of them.
    await page.getByTestId("filter-model").selectOption(other.modelId);
    await page.getByTestId("apply-filters").click();
    await page.getByTestId("no-jobs").waitFor({ timeout: 60_000 });
    await page.getByTestId("filter-user").fill("");
    await page.getByTestId("apply-filters").click();
    await expect.poll(ids, { timeout: 60_000 }).toEqual(othersShown);
    await page.getByTestId("filter-model").selectOption(env.market.devnet.modelId!);
    await page.getByTestId("apply-filters").click();
    await expect.poll(ids, { timeout: 60_000 }).toEqual(usersShown);
    await shot(page, "explorer-9-filter-model");
  });
});
