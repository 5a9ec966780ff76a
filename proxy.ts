// Next.js proxy (the file convention that replaced middleware in Next 16): a fresh CSP nonce
// for every dashboard page. Next reads the nonce from the request's Content-Security-Policy
// header and puts it on its own scripts; the root layout reads x-nonce for the theme script.
// Pages become dynamically rendered (a nonce is per response); they are small.
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageCsp } from "@/lib/shared/http/csp";

export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: API routes get API_CSP from next.config.ts, and static files need none.
  // Prefetches too (unlike Next's example): another site's <link rel=prefetch> sends
  // Purpose: prefetch for a whole page, which the browser may then show.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
