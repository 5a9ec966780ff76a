// What a body view is (one file each in this folder, listed in ./index.ts) and the toolbar
// buttons ("modes") they sit under.
import type { ComponentType } from "react";
import type { TBodyKind } from "@/lib/shared/format/body";
import type { TFind } from "./find";

/** A toolbar button of the body viewer. Views that share one show different kinds of body under it. */
export interface TBodyMode {
  /** `data-testid="body-mode-<id>"`. */
  id: string;
  label: string;
  /** Left out of the toolbar (rather than shown disabled) for bodies no view under it can show. */
  optional?: boolean;
}

export const TREE: TBodyMode = { id: "tree", label: "Tree", optional: true };
export const FORMATTED: TBodyMode = { id: "formatted", label: "Formatted" };
export const RAW: TBodyMode = { id: "raw", label: "Raw" };
export const HEX: TBodyMode = { id: "hex", label: "Hex" };

/** What a view's choice depends on: the body's kind (decoded, when decoded) and Content-Type. */
export interface TBodyFacts {
  kind: TBodyKind;
  contentType: string | null;
}

/** A non-empty body, as received or decoded. */
export interface TBodyViewProps extends TBodyFacts {
  bytes: Uint8Array;
  /** The bytes as UTF-8 when they are valid UTF-8, else null. */
  text: string | null;
  /** Where the exact bytes download from (for "download the whole body" notices). */
  bodyUrl: string;
  fileName: string;
  /** Find in body (views marked `findable`): mark the matches, report their count, show the current one. */
  find?: TFind;
  /** The bytes are only the body's first part (the detail's preview): a parse that fails may just be the cut. */
  partial?: boolean;
}

export interface TBodyView {
  id: string;
  mode: TBodyMode;
  /** The kinds it can show. */
  kinds: readonly TBodyKind[] | "any";
  /** A further condition on the body (e.g. its Content-Type), when the kind is not enough. */
  when?: (body: TBodyFacts) => boolean;
  /** Kinds the viewer opens with this view (the first such view in the list wins); omitted: `kinds`, when a list. */
  opensFor?: readonly TBodyKind[];
  /** It marks matches of the viewer's find box. */
  findable?: boolean;
  Component: ComponentType<TBodyViewProps>;
}
