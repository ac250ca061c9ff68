import type { Page } from "playwright-core";

/** Connects through RainbowKit's modal with one of the local chain's dev accounts, as a person would click it. */
export async function connectDevWallet(page: Page, label: RegExp) {
  await page.getByRole("button", { name: "Connect Wallet" }).first().click();
  await page.getByRole("button", { name: label }).click();
  await page.getByTestId("rk-account-button").waitFor();
}
