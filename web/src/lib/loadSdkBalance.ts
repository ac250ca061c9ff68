// Loads src/lib/sdkBalance.ts (its own chunk) the first time a page deposits or withdraws.
export const loadSdkBalance = () => import("./sdkBalance.ts");
