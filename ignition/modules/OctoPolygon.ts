// Polygon PoS: existing staking token and payment token (e.g. native USDC), both by parameter; no token deployed.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { buildCore } from "./core.ts";

export default buildModule("OctoPolygon", (m) => {
  const stakingToken = m.getParameter<string>("stakingToken");
  const paymentToken = m.getParameter<string>("paymentToken");
  return buildCore(m, stakingToken, paymentToken);
});
