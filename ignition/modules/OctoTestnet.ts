// Polygon Amoy: a fresh OctoToken, an existing payment token (e.g. Amoy test USDC) given by parameter, and the
// verifier of Amoy's ceremony (circuits/ceremonies/amoy.json): building this module throws without one.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ceremonyVerifier } from "./ceremonyVerifier.ts";
import { buildCore } from "./core.ts";
import { handToTimelock } from "./governance.ts";

export default buildModule("OctoTestnet", (m) => {
  const octoToken = m.contract("OctoToken", [m.getAccount(0), m.getParameter("octoSupply", 100_000_000n * 10n ** 18n)]);
  const paymentToken = m.getParameter<string>("paymentToken");
  const core = buildCore(m, ceremonyVerifier(m, { network: "amoy" }), octoToken, paymentToken);
  return { octoToken, ...core.contracts, ...handToTimelock(m, { ...core.contracts, setup: core.setup }) };
});
