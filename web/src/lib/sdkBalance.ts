// The sdk's writes to the prepaid balance: deposit (approve or permit, whose signature parsing brings secp256k1) and
// withdraw. Imported only through loadSdkBalance, so that no page carries them in its first load: they load when a
// person deposits or withdraws.
export { deposit, withdraw } from "@octo/sdk";
