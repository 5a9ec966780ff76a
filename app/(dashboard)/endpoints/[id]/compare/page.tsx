// /endpoints/<id>/compare?a=<captureId>&b=<captureId>: two captures side by side; the layout's
// dashboard reads the ids from the URL and shows the comparison in its detail pane.
export default function ComparePage() {
  return null;
}
