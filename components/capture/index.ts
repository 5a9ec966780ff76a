// Capture UI: the dashboard's detail (loads by id) and the presentational view that read-only
// pages (share links) mount with their own data and body URL.
export { CaptureDetail, type CaptureDetailProps } from "./capture-detail";
export { CaptureDetailView, captureFullUrl, type CaptureDetailViewProps } from "./capture-detail-view";
export { BodyViewer, type BodyViewerProps } from "./body-viewer";
export { EscapedText } from "./escaped-text";
export { MethodBadge } from "./method-badge";
