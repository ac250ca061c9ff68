// The project's models, for other packages (`@octo/worker/models`): octo-tiny, the trained default, and the spec a
// GGUF file registers under.
export { modelSpecFromGguf } from "./modelSpecFromGguf.ts";
export {
  OCTO_TINY_CHAT_TEMPLATE,
  OCTO_TINY_HELD_OUT_PATH,
  OCTO_TINY_PATH,
  readOctoTinyHeldOut,
  renderOctoTinyPrompt,
  type OctoTinyExample,
} from "./octoTiny.ts";
