import type { Metadata } from "next";
import { HomeView } from "@/components/endpoint/home-view";

export const metadata: Metadata = { title: "Hookscope" };

export default function HomePage() {
  return <HomeView />;
}
