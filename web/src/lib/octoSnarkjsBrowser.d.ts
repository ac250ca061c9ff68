// The alias next.config.ts gives snarkjs's browser build (see lazySnarkjs.ts).
declare module "octo-snarkjs-browser";
