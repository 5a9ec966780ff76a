// /endpoints/<id>: the dashboard with nothing selected (rendered by ./layout.tsx).
export default function EndpointPage() {
  return null;
}
