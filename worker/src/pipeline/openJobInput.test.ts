import { expect } from "chai";
import {
  deriveJobKeys,
  encodeJobEnvelope,
  generateEncryptionKeyPair,
  generateJobSecret,
  keyCommitment,
  sealPrompt,
  wrapJobSecret,
} from "@octo/circuits";
import { encodeJobInput } from "@octo/sdk";
import { bytesToHex } from "viem";
import { InputFaultError, openJobInput } from "./openJobInput.ts";

const provider = generateEncryptionKeyPair();
const jobSecret = generateJobSecret();
const keys = deriveJobKeys({ jobSecret });
const sealedPrompt = sealPrompt({
  promptKey: keys.promptKey,
  prompt: new TextEncoder().encode("Why is the sky blue?"),
});
const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey: provider.publicKey });
const named = {
  namesUs: true,
  envelope: bytesToHex(encodeJobEnvelope({ wrappedSecret: wrapped, sealedPrompt })),
  userPublicKey: bytesToHex(ephemeralPublicKey),
  keyCommitment: keyCommitment({ outputKey: keys.outputKey }),
  providerPrivateKey: provider.privateKey,
  verifiable: true,
};
const fault = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof InputFaultError ? e.fault : e;
  }
  return "no error";
};

describe("openJobInput", () => {
  it("opens the prompt of a job that named this provider", () => {
    expect(openJobInput(named)).to.deep.equal({
      prompt: "Why is the sky blue?",
      decoding: { temperature: 0 },
      outputKey: keys.outputKey,
      promptKey: keys.promptKey,
      jobSecret,
    });
  });

  it("opens a named job's prompt with the secret revealed to a committee member, not the envelope's wrap", () => {
    const member = generateEncryptionKeyPair();
    const revealed = wrapJobSecret({ jobSecret, providerPublicKey: member.publicKey });
    const delivered = {
      ephemeralPublicKey: bytesToHex(revealed.ephemeralPublicKey),
      wrappedSecret: bytesToHex(revealed.wrapped),
    };
    expect(openJobInput({ ...named, providerPrivateKey: member.privateKey, delivered }).prompt).to.equal(
      "Why is the sky blue?",
    );
  });

  it("waits for a delivered key, rather than fail on the envelope's wrap, when the job no longer names this provider", () => {
    // The job named another provider, which handed it back: the envelope's wrap is that provider's, not ours.
    const other = generateEncryptionKeyPair();
    expect(fault(() => openJobInput({ ...named, namesUs: false, providerPrivateKey: other.privateKey }))).to.equal(
      "KeyNotDelivered",
    );
  });

  it("opens the prompt with a key delivered after the claim", () => {
    const input = {
      ...named,
      envelope: bytesToHex(encodeJobEnvelope({ sealedPrompt })),
      delivered: { ephemeralPublicKey: bytesToHex(ephemeralPublicKey), wrappedSecret: bytesToHex(wrapped) },
    };
    expect(openJobInput(input).prompt).to.equal("Why is the sky blue?");
  });

  it("waits for the key when none was delivered", () => {
    expect(fault(() => openJobInput({ ...named, envelope: bytesToHex(encodeJobEnvelope({ sealedPrompt })) }))).to.equal(
      "KeyNotDelivered",
    );
  });

  it("calls a secret wrapped for another provider an input fault", () => {
    expect(
      fault(() => openJobInput({ ...named, providerPrivateKey: generateEncryptionKeyPair().privateKey })),
    ).to.equal("InputUndecryptable");
  });

  it("calls a malformed envelope an input fault", () => {
    expect(fault(() => openJobInput({ ...named, envelope: "0x0102" }))).to.equal("InputUndecryptable");
  });

  it("calls a secret that does not match the key commitment an input fault", () => {
    expect(fault(() => openJobInput({ ...named, keyCommitment: named.keyCommitment + 1n }))).to.equal(
      "InputUndecryptable",
    );
  });

  it("calls a tampered prompt an input fault", () => {
    const bytes = encodeJobEnvelope({ wrappedSecret: wrapped, sealedPrompt });
    bytes[bytes.length - 1]! ^= 1;
    expect(fault(() => openJobInput({ ...named, envelope: bytesToHex(bytes) }))).to.equal("InputUndecryptable");
  });

  /** A named job whose sealed input is `input`. */
  const withInput = (input: Uint8Array) => ({
    ...named,
    envelope: bytesToHex(
      encodeJobEnvelope({
        wrappedSecret: wrapped,
        sealedPrompt: sealPrompt({ promptKey: keys.promptKey, prompt: input }),
      }),
    ),
  });

  it("renders a versioned chat input in the sdk's fixed template when the model has no chat template", () => {
    const input = encodeJobInput({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
    expect(openJobInput(withInput(input)).prompt).to.equal("<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\n");
  });

  it("renders a chat input with the model's chat template when it has one", () => {
    const input = encodeJobInput({ messages: [{ role: "user", content: "17 + 25" }] });
    const chatTemplate = {
      template:
        "{% for m in messages %}{{ 'Q: ' + m['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ 'A: ' }}{% endif %}",
    };
    expect(openJobInput({ ...withInput(input), chatTemplate }).prompt).to.equal("Q: 17 + 25\nA: ");
  });

  it("calls a malformed versioned input an input fault", () => {
    const input = new TextEncoder().encode(JSON.stringify({ v: 1, prompt: "x", decoding: { temperature: 0.7 } }));
    expect(fault(() => openJobInput(withInput(input)))).to.equal("InputUndecryptable");
  });

  it("gives a job that is not verifiable the sampling its input asks for", () => {
    const decoding = { temperature: 0.9, topP: 0.8, seed: 5 };
    const opened = openJobInput({ ...withInput(encodeJobInput({ prompt: "x", decoding })), verifiable: false });
    expect([opened.prompt, opened.decoding]).to.deep.equal(["x", decoding]);
  });

  it("calls a verifiable job whose input samples an input fault (handed back, the user refunded)", () => {
    const input = encodeJobInput({ prompt: "x", decoding: { temperature: 0.9 } });
    expect(fault(() => openJobInput(withInput(input)))).to.equal("InputUndecryptable");
    // Greedy parameters in a v2 input are fine for a verifiable job.
    const greedy = encodeJobInput({ prompt: "x", decoding: { temperature: 0, seed: 3 } });
    expect(openJobInput(withInput(greedy)).decoding).to.deep.equal({ temperature: 0, seed: 3 });
  });
});
