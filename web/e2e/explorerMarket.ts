// A local market with an indexer and a few jobs for the explorer's tests and figures: jobs the worker serves (real
// results, real proofs; the first finalized after its challenge window) and one cancelled job named to a second
// provider that never claims. The indexer has indexed all of it when this resolves.
import { createWalletClient, http, keccak256, publicActions, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { DEV_ROLES, freePort, type Devnet } from "@octo/devnet";
import { startIndexer, type StartIndexerReturnType } from "@octo/indexer";
import { JobStatus, jobMarketAbi, octoActions } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketReturnType } from "@octo/worker/localMarket";

export type ExplorerMarket = {
  market: StartLocalMarketReturnType;
  indexer: StartIndexerReturnType;
  jobs: { finalized: bigint; submitted: bigint; cancelled: bigint };
  /** The second provider (registered, never claims). */
  idleProvider: Hex;
  stop(): Promise<void>;
};

/** The devnet's user as an sdk client (createJob, cancelJob, getJob, …). */
export function marketUser(devnet: Devnet) {
  return createWalletClient({ chain: foundry, transport: http(devnet.rpcUrl), account: devnet.user })
    .extend(publicActions)
    .extend(octoActions({ deployments: devnet.deployments }));
}

export async function startExplorerMarket(): Promise<ExplorerMarket> {
  const market = await startLocalMarket({ model: "fixture", logLevel: "silent" });
  let indexer: StartIndexerReturnType | undefined;
  try {
    const { devnet } = market;
    const user = marketUser(devnet);
    const idle = privateKeyToAccount(DEV_ROLES.validators[0]);
    // Any 32 bytes is an X25519 public key; this provider never opens a job.
    await devnet.registerProvider({
      account: idle,
      encryptionPublicKey: keccak256(idle.address),
      pricePerToken: 10n,
      maxContext: 512,
    });
    const userKey = await user.getUserKey();
    const create = async (provider: Hex | undefined, maxPricePerToken = 10n) =>
      (
        await user.createJob({
          input: { messages: [{ role: "user", content: "Write one word." }] },
          modelId: devnet.modelId!,
          paymentToken: devnet.contracts.MockUSDC.address,
          ...(provider === undefined ? {} : { provider }),
          maxOutputTokens: 8,
          maxPricePerToken,
          userKey,
        })
      ).jobId;
    const waitFor = async (jobId: bigint, wanted: number) => {
      for (let i = 0; (await user.getJob({ jobId })).status !== wanted; i++) {
        if (i > 1200) throw new Error(`job ${jobId} did not reach status ${wanted} in 4 minutes`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const finalized = await create(market.provider.address);
    await waitFor(finalized, JobStatus.Submitted);
    await devnet.passChallengeWindow();
    await devnet
      .write(devnet.user, {
        address: devnet.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "finalize",
        args: [finalized],
      })
      .catch(() => undefined); // the worker may have finalized it first
    await waitFor(finalized, JobStatus.Finalized);
    const submitted = await create(market.provider.address);
    await waitFor(submitted, JobStatus.Submitted);
    // Open (a named job is claimed by its creation and cannot be cancelled), priced below every offer so that no
    // worker claims it before its user cancels it.
    const cancelled = await create(undefined, 1n);
    await user.cancelJob({ jobId: cancelled });

    indexer = await startIndexer({
      deploymentsPath: market.deploymentsPath,
      rpcUrl: devnet.rpcUrl,
      port: await freePort(),
      pollingIntervalMs: 200,
    });
    const started = indexer;
    return {
      market,
      indexer: started,
      jobs: { finalized, submitted, cancelled },
      idleProvider: idle.address,
      async stop() {
        await started.stop();
        await market.stop();
      },
    };
  } catch (error) {
    await indexer?.stop();
    await market.stop();
    throw error;
  }
}
