// The explorer's Verify in Chromium, from the production build, against a local market and its indexer:
//   explorer.verifyMs       click Verify → every check shown, for a one-chunk receipt (a job the worker served)
//   explorer.verifyMs32kb   the same for a receipt of 32 kB of output (17 chunks: 17 Groth16 proofs and 17 Poseidon
//                           digests), proven and submitted by this script as the provider (one token per byte)
// Each is the median of RUNS clicks on a freshly loaded page (snarkjs and the verification key are fetched on the
// first click of each page, as a visitor's first Verify does), timed inside the page by the panel (data-ms).
// Run from the repository root: node web/bench/explorer.bench.ts
import { keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES } from "@octo/devnet";
import { median, recordBench } from "@octo/devnet/bench";
import { marketUser, startExplorerMarket } from "../e2e/explorerMarket.ts";
import { launchChromium } from "../e2e/launchChromium.ts";
import { startWeb } from "../serve/startWeb.ts";
import { submitProvenOutput } from "./submitProvenOutput.ts";

const RUNS = 3;
const OUTPUT_BYTES = 32 * 1024;

const env = await startExplorerMarket();
const browser = await launchChromium();
const web = await startWeb({
  deploymentsPath: env.market.deploymentsPath,
  rpcUrl: env.market.devnet.rpcUrl,
  indexerUrl: env.indexer.url,
});
try {
  const { devnet } = env.market;
  const prover = privateKeyToAccount(DEV_ROLES.validators[1]);
  await devnet.registerProvider({
    account: prover,
    encryptionPublicKey: keccak256(prover.address),
    pricePerToken: 1n,
    maxContext: 65_536,
  });
  const user = marketUser(devnet);
  const big = await user.createJob({
    input: { prompt: "Write 32 kB." },
    modelId: devnet.modelId!,
    paymentToken: devnet.contracts.MockUSDC.address,
    provider: prover.address,
    maxOutputTokens: OUTPUT_BYTES,
    maxPricePerToken: 1n,
  });
  const output = new TextEncoder().encode(
    "The quick brown fox jumps over the lazy dog. ".repeat(1000).slice(0, OUTPUT_BYTES),
  );
  const proving = performance.now();
  await submitProvenOutput(devnet, {
    provider: prover,
    jobId: big.jobId,
    outputKey: big.outputKey,
    output,
    maxTokens: OUTPUT_BYTES,
  });
  console.log(`proved and submitted ${OUTPUT_BYTES} bytes in ${Math.round(performance.now() - proving)} ms`);

  const page = await browser.context.newPage();
  const verifyMs = async (jobId: bigint, chunks: number) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${web.url}/explorer/jobs/${jobId}`);
      await page.getByTestId("verify").click();
      const result = page.getByTestId("verify-result");
      await result.waitFor({ timeout: 600_000 });
      if ((await result.getAttribute("data-ok")) !== "true")
        throw new Error(`job ${jobId}: the receipt did not verify`);
      if (Number(await result.getAttribute("data-chunks")) !== chunks)
        throw new Error(`job ${jobId}: not ${chunks} chunks`);
      times.push(Number(await result.getAttribute("data-ms")));
    }
    console.log(`job ${jobId} (${chunks} chunks): ${times.map((t) => Math.round(t)).join(", ")} ms`);
    return Math.round(median(times));
  };
  recordBench({
    "explorer.verifyMs": await verifyMs(env.jobs.finalized, 1),
    "explorer.verifyMs32kb": await verifyMs(big.jobId, Math.ceil(OUTPUT_BYTES / 1984)),
  });
} finally {
  await browser.close();
  await web.stop();
  await env.stop();
}
process.exit(0);
