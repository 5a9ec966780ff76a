// The web app manifest (Next serves it at /manifest.webmanifest): name, colours and the icons of
// app/icon.svg and app/apple-icon.png, so "Add to Home Screen" gets the mark and the right name.
import type { MetadataRoute } from "next";

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Hookscope",
    short_name: "Hookscope",
    description: "Capture, inspect, compare, resend and forward webhooks.",
    start_url: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#4f46e5",
    icons: [
      { src: "/icon.svg", type: "image/svg+xml", sizes: "any" },
      { src: "/apple-icon.png", type: "image/png", sizes: "180x180" },
    ],
  };
}
