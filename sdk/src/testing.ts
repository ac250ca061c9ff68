// @octo/sdk/testing: ABIs of the contracts' test doubles (a mintable USDC with permit, an on-chain job consumer, a
// provider that is a contract account). Never deployed on a real network.
export * from "./generated/testing.ts";
