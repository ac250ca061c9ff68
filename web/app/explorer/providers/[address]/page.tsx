import { ProviderProfile } from "../../../../src/explorer/ProviderProfile.tsx";

export default async function Page({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return <p className="notice error">“{address}” is not an address.</p>;
  return <ProviderProfile address={address} />;
}
