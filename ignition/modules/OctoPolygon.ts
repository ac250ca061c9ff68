// Polygon PoS: existing staking token and payment token (e.g. native USDC), both by parameter; no token deployed.
// The verifier is Polygon's ceremony's (circuits/ceremonies/polygon.json): building this module throws without one.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { ceremonyVerifier } from "./ceremonyVerifier.ts";
import { buildCore } from "./core.ts";
import { handToTimelock } from "./governance.ts";

export default buildModule("OctoPolygon", (m) => {
  const stakingToken = m.getParameter<string>("stakingToken");
  const paymentToken = m.getParameter<string>("paymentToken");
  const core = buildCore(m, ceremonyVerifier(m, { network: "polygon" }), stakingToken, paymentToken);
  return { ...core.contracts, ...handToTimelock(m, { ...core.contracts, setup: core.setup }) };
});
