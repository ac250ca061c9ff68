// `client.extend(octoActions({ deployments }))`: every action bound to the client and the market's deployments, as
// viem's `publicActions` / `walletActions` bind theirs.
import type { Deployments } from "../deployments.ts";
import type { OctoClient } from "../internal/client.ts";
import { cancelJob, type CancelJobParameters } from "../actions/cancelJob.ts";
import { createJob, type CreateJobParameters } from "../actions/createJob.ts";
import { deliverJobKey, type DeliverJobKeyParameters } from "../actions/deliverJobKey.ts";
import { deposit, type DepositParameters } from "../actions/deposit.ts";
import { dispute, type DisputeParameters } from "../actions/dispute.ts";
import { drawCommittee, type DrawCommitteeParameters } from "../actions/drawCommittee.ts";
import { getBalance, type GetBalanceParameters } from "../actions/getBalance.ts";
import { getJob, type GetJobParameters } from "../actions/getJob.ts";
import { getResult, type GetResultParameters } from "../actions/getResult.ts";
import { getUserKey, type GetUserKeyParameters } from "../actions/getUserKey.ts";
import { listModels, type ListModelsParameters } from "../actions/listModels.ts";
import { listOffers, type ListOffersParameters } from "../actions/listOffers.ts";
import { openResult, type OpenResultParameters } from "../actions/openResult.ts";
import { quoteJob, type QuoteJobParameters } from "../actions/quoteJob.ts";
import { reclaim, type ReclaimParameters } from "../actions/reclaim.ts";
import { recoverJobSecret, type RecoverJobSecretParameters } from "../actions/recoverJobSecret.ts";
import { revealJobSecret, type RevealJobSecretParameters } from "../actions/revealJobSecret.ts";
import { selectProvider, type SelectProviderParameters } from "../actions/selectProvider.ts";
import { verifyReceipt, type VerifyReceiptParameters } from "../actions/verifyReceipt.ts";
import { watchJob, type WatchJobParameters } from "../actions/watchJob.ts";
import { withdraw, type WithdrawParameters } from "../actions/withdraw.ts";

type Bound<P> = Omit<P, "deployments">;

export function octoActions({ deployments }: { deployments: Deployments }) {
  return (client: OctoClient) => {
    const d = { deployments };
    return {
      octoDeployments: deployments,
      cancelJob: (p: Bound<CancelJobParameters>) => cancelJob(client, { ...p, ...d }),
      createJob: (p: Bound<CreateJobParameters>) => createJob(client, { ...p, ...d }),
      deliverJobKey: (p: Bound<DeliverJobKeyParameters>) => deliverJobKey(client, { ...p, ...d }),
      deposit: (p: Bound<DepositParameters>) => deposit(client, { ...p, ...d }),
      dispute: (p: Bound<DisputeParameters>) => dispute(client, { ...p, ...d }),
      drawCommittee: (p: Bound<DrawCommitteeParameters>) => drawCommittee(client, { ...p, ...d }),
      getBalance: (p: Bound<GetBalanceParameters>) => getBalance(client, { ...p, ...d }),
      getJob: (p: Bound<GetJobParameters>) => getJob(client, { ...p, ...d }),
      getResult: (p: Bound<GetResultParameters>) => getResult(client, { ...p, ...d }),
      getUserKey: (p: Bound<GetUserKeyParameters> = {}) => getUserKey(client, { ...p, ...d }),
      listModels: (p: Bound<ListModelsParameters> = {}) => listModels(client, { ...p, ...d }),
      listOffers: (p: Bound<ListOffersParameters>) => listOffers(client, { ...p, ...d }),
      openResult: (p: Bound<OpenResultParameters>) => openResult(client, { ...p, ...d }),
      quoteJob: (p: Bound<QuoteJobParameters>) => quoteJob(client, { ...p, ...d }),
      reclaim: (p: Bound<ReclaimParameters>) => reclaim(client, { ...p, ...d }),
      recoverJobSecret: (p: Bound<RecoverJobSecretParameters>) => recoverJobSecret(client, { ...p, ...d }),
      revealJobSecret: (p: Bound<RevealJobSecretParameters>) => revealJobSecret(client, { ...p, ...d }),
      selectProvider: (p: Bound<SelectProviderParameters>) => selectProvider(client, { ...p, ...d }),
      verifyReceipt: (p: Bound<VerifyReceiptParameters>) => verifyReceipt(client, { ...p, ...d }),
      watchJob: (p: Bound<WatchJobParameters>) => watchJob(client, { ...p, ...d }),
      withdraw: (p: Bound<WithdrawParameters>) => withdraw(client, { ...p, ...d }),
    };
  };
}

export type OctoActions = ReturnType<ReturnType<typeof octoActions>>;
