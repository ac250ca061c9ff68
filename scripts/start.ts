// `npm start`: the whole market on the embedded local default, end to end, through the same packages an app uses:
// a local chain with the market deployed (@octo/devnet), a provider worker running the llama.cpp engine on the
// project's small trained model octo-tiny (@octo/worker; worker/models/octo-tiny), and a user (@octo/sdk) who derives the job's keys from one wallet signature,
// pays for a job, watches its tokens stream in (decrypted locally), opens the proven result, and checks the receipt
// as an auditor would, from public chain data alone. Then it keeps everything serving for a person (the chain, the
// worker, the indexer and the web app, with their URLs and the dev accounts) until Ctrl-C.
// `npm start -- --headless` runs the job and exits (for scripts).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createWalletClient, erc20Abi, formatUnits, http, publicActions, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, freePort, fundAccount } from "@octo/devnet";
import { curlExample, startGateway } from "@octo/gateway";
import { octoActions, type JobStatusName } from "@octo/sdk";
import { startLocalMarket } from "@octo/worker/localMarket";
import { queryIndexer, startIndexer } from "@octo/indexer";
import { renderOctoTinyPrompt } from "@octo/worker/models";
import { startWeb } from "@octo/web/serve";
import { preferredPort } from "./lib/preferredPort.ts";

const root = new URL("..", import.meta.url).pathname;
const serve = !process.argv.includes("--headless");
const step = (s: string) => console.log(`\n▸ ${s}`);

step("building the contracts (hardhat build, offline solc)");
if (spawnSync("pnpm", ["exec", "hardhat", "build", "--quiet"], { cwd: root, stdio: "inherit" }).status !== 0)
  process.exit(1);

step(
  "starting a local chain, deploying the market, registering a provider (Consumer tier, 2,000 OCTO staked, octo-tiny at 10 units per token) and starting its worker",
);
const dataDir = join(root, ".data", "local");
rmSync(dataDir, { recursive: true, force: true });
const market = await startLocalMarket({
  model: "octo-tiny",
  dataDir,
  ...(serve ? { port: await preferredPort(8545) } : {}),
});
const { devnet, worker } = market;
const deploymentsPath = join(root, "deployments", `${devnet.chainId}.json`);
devnet.writeDeployments(deploymentsPath);
console.log(
  `  chain ${devnet.chainId} at ${devnet.rpcUrl}; JobMarket ${devnet.contracts.JobMarket.address}; deployments in ${deploymentsPath}`,
);
console.log(
  `  provider ${worker.address}\n  metrics ${worker.ops.url}/metrics, health ${worker.ops.url}/health, live output ${worker.stream.url}/jobs/<id>/stream`,
);

step("starting the indexer (Ponder over the market's events, embedded PGlite): what the explorer and auditors query");
const indexer = await startIndexer({
  deploymentsPath,
  rpcUrl: devnet.rpcUrl,
  port: serve ? await preferredPort(42069) : await freePort(),
});
console.log(`  GraphQL ${indexer.graphqlUrl}, SQL ${indexer.sqlUrl}`);

// The web app builds (next build, 1–2 minutes the first time) while the demo job runs; its output is shown only if
// it fails.
const webOutput: string[] = [];
const webStarting = serve
  ? startWeb({
      deploymentsPath,
      rpcUrl: devnet.rpcUrl,
      port: await preferredPort(3000),
      streamUrls: { [worker.address]: worker.stream.url },
      indexerUrl: indexer.url,
      onOutput: (line) => webOutput.push(line),
    })
  : undefined;
webStarting?.catch(() => undefined); // awaited below; its failure is reported there

// The user: a viem wallet client with the sdk's actions bound to this market.
const user = createWalletClient({
  chain: devnet.chain,
  transport: http(devnet.rpcUrl),
  account: devnet.user,
  pollingInterval: 200,
})
  .extend(publicActions)
  .extend(octoActions({ deployments: devnet.deployments }));

step("the user picks a provider and gets a quote");
const modelId = devnet.modelId!;
const paymentToken = devnet.contracts.MockUSDC.address;
const [model] = await user.listModels();
const offer = await user.selectProvider({ modelId, paymentToken, policy: "cheapest" });
const quote = await user.quoteJob({ maxOutputTokens: 32, maxPricePerToken: offer.pricePerToken });
console.log(
  `  model ${model?.name}; cheapest provider ${offer.provider} at ${offer.pricePerToken} units per token; at most ${formatUnits(quote.maxCost, 6)} USDC (fee ${quote.feeBps / 100}% included)`,
);

step("a user pays for a job: keys from one wallet signature, the prompt sealed to the provider, 32 tokens escrowed");
const question = "17 + 25";
const prompt = renderOctoTinyPrompt(question); // the chat template's rendering: "Q: 17 + 25\nA: "
const userBefore = await balanceOf(devnet.user.address);
const userKey = await user.getUserKey();
const job = await user.createJob({
  input: { prompt },
  modelId,
  paymentToken,
  provider: offer.provider,
  maxOutputTokens: 32,
  maxPricePerToken: offer.pricePerToken,
  userKey,
});
console.log(`  job ${job.jobId}: ${JSON.stringify(prompt)}`);

step(
  "live output, opened with the job's key as the worker streams it (greedy: the same answer on every run, and on any committee member's machine)",
);
let streamed = "";
const statuses: JobStatusName[] = [];
const stop = user.watchJob({
  jobId: job.jobId,
  jobSecret: job.jobSecret,
  streamUrl: worker.stream.url,
  onPiece: ({ text }) => (streamed += text),
  onStatus: (status) => statuses.push(status),
  onError: (error) => console.error(`  watch: ${error.message}`),
});
await until(async () => (statuses.includes("Submitted") ? true : undefined));
console.log(`  ${JSON.stringify(streamed)}\n  status: ${statuses.join(" → ")}`);

step("the result on-chain: encrypted output + Groth16 proof, verified by the contract before anything is paid");
// On another device, the same wallet signature re-derives the job's secret from the chain.
const jobSecret = await user.recoverJobSecret({ jobId: job.jobId, userKey });
const { text } = await user.openResult({ jobId: job.jobId, jobSecret });
console.log(
  `  decrypted by the user: ${JSON.stringify(text)}\n  same as the stream: ${text === streamed}; the right answer to ${question}: ${text === String(17 + 25)}`,
);

step(
  "auditor: re-verify the receipt from public chain data alone (the ResultSubmitted event, the job, the published verification key)",
);
const receipt = await user.verifyReceipt({ jobId: job.jobId });
for (const check of receipt.checks) console.log(`  ${check.ok ? "✓" : "✗"} ${check.name}`);
if (!receipt.ok) throw new Error("the receipt does not verify");

step("after the challenge window: finalize pays the provider and refunds the rest");
await devnet.passChallengeWindow();
await until(async () => (statuses.includes("Finalized") ? true : undefined));
stop();
const final = await user.getJob({ jobId: job.jobId });
console.log(
  `  ${final.tokenCount} tokens billed at ${final.pricePerToken} units: the provider is paid, the protocol fee taken, the rest refunded`,
);
console.log(`  user spent ${formatUnits(userBefore - (await balanceOf(devnet.user.address)), 6)} USDC`);

step("the indexer's record of the job: every step with its block and transaction, from the market's events");
await indexer.waitForBlock(await devnet.publicClient.getBlockNumber());
const steps = await queryIndexer(
  indexer.url,
  "select step, block_number, transaction_hash from job_step where job_id = $1 order by block_number, log_index",
  [job.jobId.toString()],
);
for (const s of steps) console.log(`  ${String(s.step).padEnd(16)} block ${s.block_number}  ${s.transaction_hash}`);

// The gateway pays from its own operator account (a dev key of its own, so that a person using the app as the dev
// user never races it for nonces), funded by the devnet's faucet.
const GATEWAY_OPERATOR = DEV_ROLES.gatewayOperator;
let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let apiKey = "";
if (serve) {
  step("the OpenAI-compatible gateway: any OpenAI client pays through the market from the operator's account");
  await fundAccount({
    rpcUrl: devnet.rpcUrl,
    deployments: devnet.deployments,
    address: privateKeyToAccount(GATEWAY_OPERATOR).address,
    octo: 0,
  });
  gateway = await startGateway({
    deploymentsPath,
    rpcUrl: devnet.rpcUrl,
    operatorKey: GATEWAY_OPERATOR,
    port: await preferredPort(8080),
    dataDir: join(dataDir, "gateway"),
    streamUrls: { [worker.address]: worker.stream.url },
    logLevel: "warn",
  });
  apiKey = gateway.createApiKey();
  console.log(`  base URL ${gateway.baseURL} (give it to any OpenAI client with the key below)`);
}

let web: Awaited<ReturnType<typeof startWeb>> | undefined;
if (webStarting) {
  step("the web app (Next.js over @octo/sdk): pay for a job from a wallet, follow it live, run a provider");
  try {
    web = await webStarting;
  } catch (error) {
    console.error(webOutput.join("\n"));
    throw error;
  }
}

if (serve) {
  console.log(`\nserving:`);
  console.log(
    `  web app   ${web!.url}  (a dev wallet is offered on this chain; or import a key below into a browser wallet)`,
  );
  console.log(
    `  explorer  ${web!.url}/explorer  (every job from the indexer; Verify re-checks a receipt from the chain)`,
  );
  console.log(`  chain     ${devnet.rpcUrl} (chain id ${devnet.chainId}); deployments ${deploymentsPath}`);
  console.log(`  worker    ${worker.ops.url}/health, ${worker.ops.url}/metrics; live output ${worker.stream.url}`);
  console.log(`  indexer   ${indexer.graphqlUrl} (GraphQL), ${indexer.sqlUrl} (SQL)`);
  console.log(`  gateway   ${gateway!.baseURL}  API key ${apiKey}`);
  console.log(`            ${curlExample({ baseURL: gateway!.baseURL, apiKey, model: model?.name ?? "octo-tiny" })}`);
  console.log("dev accounts — TEST KEYS, public to everyone: never use them on a real network:");
  const roles = new Map<string, string>([
    [DEV_ROLES.deployer, "deployer"],
    [DEV_ROLES.user, "user"],
    [DEV_ROLES.provider, "provider (this worker)"],
    ...DEV_ROLES.validators.map((k, i) => [k, `validator ${i + 1}`] as [string, string]),
    [GATEWAY_OPERATOR, "gateway operator"],
  ]);
  for (const [key, role] of roles) console.log(`  ${privateKeyToAccount(key as Hex).address}  ${key}  ${role}`);
  console.log(
    "a new provider key: `octo-worker init`, then `octo-worker faucet` for test POL, OCTO and USDC (worker/README.md).",
  );
  console.log("Ctrl-C stops everything this started.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
await web?.stop();
await gateway?.stop();
await indexer.stop();
await market.stop();
console.log("\ndone.");
process.exit(0);

async function balanceOf(who: Hex) {
  return devnet.publicClient.readContract({
    address: paymentToken,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [who],
  });
}
async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}
