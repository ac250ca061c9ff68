import "./explorer.css";
import type { ReactNode } from "react";

// The explorer's pages share the app's layout (header, wallet, config) and add their own styles.
export default function ExplorerLayout({ children }: { children: ReactNode }) {
  return children;
}
