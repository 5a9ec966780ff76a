// The body views, in the order the viewer considers them: for each body it offers every view
// whose kinds (and condition) match, under that view's toolbar button, and opens with the first
// one that opens for the body's kind (see ./choose.ts). To add one: CONTRIBUTING.md, "How to add a body view".
import { hexView } from "./hex";
import { highlightedView } from "./highlighted";
import { jsonTreeView } from "./json-tree";
import { multipartView } from "./multipart";
import { rawView } from "./raw";
import type { TBodyView } from "./types";
import { urlEncodedView } from "./urlencoded";

export const BODY_VIEWS: readonly TBodyView[] = [jsonTreeView, highlightedView, urlEncodedView, multipartView, rawView, hexView];

export { chooseBodyView, type TBodyViewChoice } from "./choose";
export { NOTICE } from "./parts";
export { FIND_MAX, type TFind } from "./find";
export type { TBodyView, TBodyViewProps } from "./types";
