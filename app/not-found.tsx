// Any URL the app does not know (and notFound() from a page): the app's chrome, not Next's bare page.
import { PageMessage } from "@/components/ui/page-message";

export default function NotFound() {
  return (
    <PageMessage title="Page not found" alert={false} titleTestId="not-found-title">
      Nothing lives at this address. Capture URLs start with <code className="font-mono">/h/</code> and dashboards with{" "}
      <code className="font-mono">/endpoints/</code>; your endpoints are listed on the home page.
    </PageMessage>
  );
}
