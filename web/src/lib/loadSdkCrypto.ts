// Loads src/lib/sdkCrypto.ts (its own chunk) the first time a page needs one of its actions.
export const loadSdkCrypto = () => import("./sdkCrypto.ts");
