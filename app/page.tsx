import { HomeView } from "@/components/endpoint/home-view";

export default function HomePage() {
  return <HomeView />;
}
