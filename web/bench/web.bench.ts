// The app's figures, from its production build against a local market (octo-tiny on llama.cpp):
//   web.firstLoadJsKb        gzip size of the JavaScript the job page loads first (every script the served HTML of
//                            /jobs/<id> names: the framework, the layout and the page; what Next calls First Load JS)
//   web.jobPageAllJsKb       gzip size of every script a new visitor's browser downloads to show a finished job with
//                            its receipt checked (no wallet): the first load plus what the page then loads lazily
//                            (the sdk's cryptography and snarkjs for the receipt's proofs)
//   web.timeToFirstTokenMs   from clicking Pay to the first streamed token shown in the browser (median of RUNS)
//   web.engineFirstTokenMs   the engine's own first-token time for the same prompt (llama.cpp in process, same model
//                            and settings as the worker; median of RUNS)
// The difference is what the market adds: the wallet's signature and the createJob transaction, the worker seeing the
// job (it polls the chain every 200 ms) and claiming it, the child process that runs the engine, sealing each piece,
// the stream server, and the browser's navigation to the job page and its SSE fetch.
// Run from the repository root: node web/bench/web.bench.ts
import { gzipSync } from "node:zlib";
import { median, recordBench } from "@octo/devnet/bench";
import { startLocalMarket } from "@octo/worker/localMarket";
import { createLlamaCppEngine } from "@octo/worker/llamaCppEngine";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { connectDevWallet } from "../e2e/connectDevWallet.ts";
import { launchChromium } from "../e2e/launchChromium.ts";
import { startWeb } from "../serve/startWeb.ts";

const RUNS = 3;
const QUESTION = "17 + 25";

const market = await startLocalMarket({ model: "octo-tiny" });
const web = await startWeb({
  deploymentsPath: market.deploymentsPath,
  rpcUrl: market.devnet.rpcUrl,
  streamUrls: { [market.provider.address]: market.worker.stream.url },
});
const browser = await launchChromium();
try {
  // 1. The job page's JavaScript, as served (the bundle is the same for every job id).
  const html = await (await fetch(new URL("/jobs/1", web.url))).text();
  const gzipBytes = await gzipTotal([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]!));

  // 2. Click Pay → first streamed token, timed inside the page (the job page is a client-side navigation: one clock).
  const page = await browser.context.newPage();
  await page.goto(web.url);
  await connectDevWallet(page, /Dev user/);
  const firstTokens: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.goto(web.url);
    await page.getByTestId("offers").getByText("qualifies").waitFor();
    await page.getByTestId("question").fill(QUESTION);
    await page.evaluate(() => {
      const w = window as unknown as { octoBench: { clicked?: number; firstToken?: number } };
      w.octoBench = {};
      document
        .querySelector('[data-testid="pay"]')!
        .addEventListener("click", () => (w.octoBench.clicked = performance.now()), { capture: true });
      new MutationObserver((_, observer) => {
        const streamed = document.querySelector('[data-testid="streamed"]')?.textContent ?? "";
        const shown =
          (streamed !== "" && !streamed.startsWith("Waiting")) || document.querySelector('[data-testid="answer"]');
        if (shown && w.octoBench.firstToken === undefined) {
          w.octoBench.firstToken = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId("pay").click();
    const ms = await page.waitForFunction(
      () => {
        const b = (window as unknown as { octoBench: { clicked?: number; firstToken?: number } }).octoBench;
        return b.firstToken !== undefined && b.clicked !== undefined ? b.firstToken - b.clicked : undefined;
      },
      undefined,
      { timeout: 240_000, polling: 100 },
    );
    firstTokens.push(Number(await ms.jsonValue()));
    await page.getByTestId("answer").waitFor({ timeout: 240_000 });
  }

  // 2b. Everything a new visitor's browser downloads for the last job's page, until its receipt is checked.
  const visitor = await launchChromium();
  let allJsBytes: number;
  try {
    const fresh = await visitor.context.newPage();
    const loaded: string[] = [];
    fresh.on("response", (response) => {
      // Scripts from the app (a worker's blob: or data: source was downloaded as part of one of these).
      if (response.request().resourceType() === "script" && response.url().startsWith("http"))
        loaded.push(response.url());
    });
    await fresh.goto(page.url());
    await fresh.getByTestId("receipt").getByText("✓ proofs verified").waitFor({ timeout: 240_000 });
    allJsBytes = await gzipTotal(loaded);
  } finally {
    await visitor.close();
  }

  // 3. The engine alone, same model file and settings as the worker's (threads 1, its context size).
  const engine = await createLlamaCppEngine({ modelPath: market.modelPath, threads: 1, contextSize: 64 });
  const engineFirst: number[] = [];
  for (let run = -1; run < RUNS; run++) {
    const started = performance.now();
    let first: number | undefined;
    await engine.generate(
      { prompt: renderOctoTinyPrompt(QUESTION), maxTokens: 16, temperature: 0, seed: 0 },
      () => (first ??= performance.now() - started),
    );
    if (run >= 0 && first !== undefined) engineFirst.push(first);
  }
  await engine.stop();

  recordBench({
    "web.firstLoadJsKb": Math.round(gzipBytes / 1024),
    "web.jobPageAllJsKb": Math.round(allJsBytes / 1024),
    "web.timeToFirstTokenMs": Math.round(median(firstTokens)),
    "web.engineFirstTokenMs": Math.round(median(engineFirst) * 10) / 10,
  });
} finally {
  await browser.close();
  await web.stop();
  await market.stop();
}
process.exit(0);

/** The gzip size of these scripts (each once), fetched again from the app as a browser would. */
async function gzipTotal(sources: string[]): Promise<number> {
  let bytes = 0;
  for (const src of new Set(sources))
    bytes += gzipSync(Buffer.from(await (await fetch(new URL(src, web.url))).arrayBuffer())).length;
  return bytes;
}
