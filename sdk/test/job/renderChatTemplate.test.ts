import { expect } from "chai";
import { InvalidInputError, decodeJobInput, encodeJobInput, renderChatTemplate, renderJobInput } from "@octo/sdk";

// ChatML, as many models' GGUF files carry it, and a template that names the special tokens.
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const QA =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ 'Q: ' + message['content'] + '\\n' }}" +
  "{% elif message['role'] == 'assistant' %}{{ 'A: ' + message['content'] + eos_token + '\\n' }}{% endif %}{% endfor %}" +
  "{% if add_generation_prompt %}{{ 'A: ' }}{% endif %}";

describe("renderChatTemplate", () => {
  it("renderChatTemplate_chatml_rendersEachMessageAndTheGenerationPrompt", () => {
    const text = renderChatTemplate({ template: CHATML }, [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
    expect(text).to.equal(
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    );
  });

  it("renderChatTemplate_specialTokens_areTheModelsOwn", () => {
    const text = renderChatTemplate({ template: QA, bosToken: "<s>", eosToken: "</s>" }, [
      { role: "user", content: "1 + 1" },
      { role: "assistant", content: "2" },
      { role: "user", content: "17 + 25" },
    ]);
    expect(text).to.equal("<s>Q: 1 + 1\nA: 2</s>\nQ: 17 + 25\nA: ");
  });

  it("renderJobInput_chatWithATemplate_usesIt_andWithoutOne_theFixedTemplate", () => {
    const input = decodeJobInput(encodeJobInput({ messages: [{ role: "user", content: "17 + 25" }] }));
    expect(renderJobInput(input, { chatTemplate: { template: QA } })).to.equal("Q: 17 + 25\nA: ");
    expect(renderJobInput(input)).to.equal("<|user|>\n17 + 25\n<|assistant|>\n");
    expect(
      renderJobInput(decodeJobInput(encodeJobInput({ prompt: "as is" })), { chatTemplate: { template: QA } }),
    ).to.equal("as is");
  });

  it("renderChatTemplate_brokenTemplate_throwsInvalidInput", () => {
    expect(() => renderChatTemplate({ template: "{% for %}" }, [{ role: "user", content: "x" }])).to.throw(
      InvalidInputError,
    );
  });
});
