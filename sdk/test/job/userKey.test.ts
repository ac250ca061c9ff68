import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "@octo/devnet";
import {
  InvalidInputError,
  deriveJobSecret,
  exportKeyFile,
  generateJobNonce,
  generateUserKey,
  importKeyFile,
  userKeyFromSignature,
  userKeyMessage,
} from "@octo/sdk";

const account = privateKeyToAccount(DEV_KEYS[1]);
const market = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("user key", () => {
  it("userKeyFromSignature_sameWalletSameMessage_sameKeyAndSecrets", async () => {
    const message = userKeyMessage({ chainId: 31337, jobMarket: market });
    const a = userKeyFromSignature({ signature: await account.signMessage({ message }), address: account.address });
    const b = userKeyFromSignature({ signature: await account.signMessage({ message }), address: account.address });
    const nonce = generateJobNonce();
    expect(deriveJobSecret({ userKey: a, nonce })).to.deep.equal(deriveJobSecret({ userKey: b, nonce }));
  });

  it("userKeyMessage_namesTheChainAndMarket_soKeysDifferPerMarket", async () => {
    const sign = async (chainId: number) =>
      userKeyFromSignature({
        signature: await account.signMessage({ message: userKeyMessage({ chainId, jobMarket: market }) }),
        address: account.address,
      });
    expect((await sign(1)).key).to.not.deep.equal((await sign(137)).key);
  });

  it("deriveJobSecret_differentNonces_differentSecrets", () => {
    const userKey = generateUserKey({ address: account.address });
    expect(deriveJobSecret({ userKey, nonce: generateJobNonce() })).to.not.deep.equal(
      deriveJobSecret({ userKey, nonce: generateJobNonce() }),
    );
    expect(() => deriveJobSecret({ userKey, nonce: new Uint8Array(12) })).to.throw(InvalidInputError);
  });

  it("exportKeyFile_importKeyFile_roundTripsTheKey", () => {
    const userKey = generateUserKey({ address: account.address });
    const imported = importKeyFile(exportKeyFile(userKey), { address: account.address });
    expect(imported).to.deep.equal(userKey);
  });

  it("importKeyFile_anotherAccountsOrMalformed_isRefused", () => {
    const file = exportKeyFile(generateUserKey({ address: account.address }));
    expect(() => importKeyFile(file, { address: privateKeyToAccount(DEV_KEYS[2]).address })).to.throw(
      InvalidInputError,
      "another account",
    );
    expect(() => importKeyFile('{"type":"octo-user-key","version":2}')).to.throw(
      InvalidInputError,
      "not an Octo key file",
    );
  });
});
