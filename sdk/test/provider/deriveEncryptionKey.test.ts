import { expect } from "chai";
import { bytesToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { generateJobSecret, unwrapJobSecret, wrapJobSecret } from "@octo/circuits";
import { deriveEncryptionKey } from "../../src/index.ts";

// anvil's third development account (the devnet's provider). Public on purpose; never use it elsewhere.
const PROVIDER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a8d4cab8fc6a";

describe("deriveEncryptionKey", () => {
  it("deriveEncryptionKey_devProviderAccount_givesThePublicKeyTheWorkerRegisteredSinceV1", async () => {
    // Pinned from the worker's derivation before it moved here: a change would strand every registered provider.
    const { publicKey } = await deriveEncryptionKey(privateKeyToAccount(PROVIDER_KEY));
    expect(bytesToHex(publicKey)).to.equal("0xba96837e350b839d0dcca2cefe8306ba1a2e7e104a37dd2dfada1923f2f4fb50");
  });

  it("deriveEncryptionKey_keyPair_opensAJobSecretWrappedToItsPublicHalf", async () => {
    const { privateKey, publicKey } = await deriveEncryptionKey(privateKeyToAccount(PROVIDER_KEY));
    const jobSecret = generateJobSecret();
    const { wrapped, ephemeralPublicKey } = wrapJobSecret({ jobSecret, providerPublicKey: publicKey });
    expect(bytesToHex(unwrapJobSecret({ wrapped, ephemeralPublicKey, providerPrivateKey: privateKey }))).to.equal(
      bytesToHex(jobSecret),
    );
  });

  it("deriveEncryptionKey_differentAccounts_differentKeys", async () => {
    const other = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    const [a, b] = await Promise.all([
      deriveEncryptionKey(privateKeyToAccount(PROVIDER_KEY)),
      deriveEncryptionKey(other),
    ]);
    expect(bytesToHex(a.publicKey)).to.not.equal(bytesToHex(b.publicKey));
  });
});
