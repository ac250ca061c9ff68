// The whole market's deployment as data: what is deployed, with which arguments, and which calls bind it together,
// in order. @octo/devnet deploys from it; the Ignition modules (ignition/modules/core.ts + OctoLocal.ts) describe the
// same system for real networks, and test/contracts/ignition/deployPlan.test.ts proves the two agree.
// External libraries (the Poseidon behind the fraud proof) are not listed: they are linked from each artifact's link
// references, deployed once each before the first contract that needs them.

/** An argument: another contract of the plan (its address), a parameter, or a literal. */
export type PlanArgument = { contract: string } | { parameter: PlanParameterName } | { value: boolean };

export const DEPLOY_PARAMETERS = {
  admin: "the deployer",
  treasury: "the deployer",
  octoSupply: 100_000_000n * 10n ** 18n,
  stakingDecimalsUnit: 10n ** 18n,
} as const;
export type PlanParameterName = keyof typeof DEPLOY_PARAMETERS;

export const DEPLOY_PLAN = {
  contracts: [
    { name: "OctoToken", source: "OctoToken.sol", args: [{ parameter: "admin" }, { parameter: "octoSupply" }] },
    { name: "MockUSDC", source: "mocks/MockUSDC.sol", args: [] },
    { name: "ResultVerifier", source: "verifiers/ResultVerifier.sol", args: [] },
    { name: "ModelRegistry", source: "ModelRegistry.sol", args: [{ parameter: "admin" }] },
    {
      name: "StakingRegistry",
      source: "StakingRegistry.sol",
      args: [{ contract: "OctoToken" }, { parameter: "admin" }, { parameter: "stakingDecimalsUnit" }],
    },
    {
      name: "JobMarket",
      source: "JobMarket.sol",
      args: [
        { contract: "ResultVerifier" },
        { contract: "StakingRegistry" },
        { contract: "ModelRegistry" },
        { parameter: "admin" },
        { parameter: "treasury" },
      ],
    },
  ],
  calls: [
    { contract: "StakingRegistry", functionName: "bindJobMarket", args: [{ contract: "JobMarket" }] },
    { contract: "JobMarket", functionName: "setPaymentToken", args: [{ contract: "MockUSDC" }, { value: true }] },
  ],
} as const satisfies {
  contracts: readonly { name: string; source: string; args: readonly PlanArgument[] }[];
  calls: readonly { contract: string; functionName: string; args: readonly PlanArgument[] }[];
};

export type PlanContractName = (typeof DEPLOY_PLAN)["contracts"][number]["name"];
