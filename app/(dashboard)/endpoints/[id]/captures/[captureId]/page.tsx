// /endpoints/<id>/captures/<captureId>: a permalink to one capture; the layout reads the id from the URL.
export default function CapturePermalinkPage() {
  return null;
}
