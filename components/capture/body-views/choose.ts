// Which body views the viewer offers for a body, and which one it shows: a pure function of the
// registry, the body's facts and the button the user pressed, so it is unit-tested without a browser.
import type { TBodyFacts, TBodyMode, TBodyView } from "./types";

export interface TBodyModeButton extends TBodyMode {
  /** A view under this button can show this body (else the button is disabled). */
  available: boolean;
}

export interface TBodyViewChoice {
  /** The toolbar: every mode of the registry, in registry order. */
  modes: TBodyModeButton[];
  /** The pressed button. */
  mode: string;
  /** The view to render. */
  view: TBodyView;
}

export function viewApplies(view: TBodyView, body: TBodyFacts): boolean {
  return (view.kinds === "any" || view.kinds.includes(body.kind)) && (view.when?.(body) ?? true);
}

function opensFor(view: TBodyView, body: TBodyFacts): boolean {
  const kinds = view.opensFor ?? (view.kinds === "any" ? [] : view.kinds);
  return kinds.includes(body.kind) && viewApplies(view, body);
}

/**
 * The toolbar and the view for a body. `chosen` is the mode the user pressed (null: the default,
 * the first view that opens for this kind). A chosen mode with no view for this body (the body
 * was decoded or un-decoded under it) shows the first view for any kind (Raw).
 */
export function chooseBodyView(views: readonly TBodyView[], body: TBodyFacts, chosen: string | null): TBodyViewChoice {
  const modes: TBodyModeButton[] = [];
  for (const v of views) {
    const known = modes.find((m) => m.id === v.mode.id);
    if (!known) modes.push({ ...v.mode, available: viewApplies(v, body) });
    else known.available ||= viewApplies(v, body);
  }
  const shown = modes.filter((m) => m.available || !m.optional);
  const fallback = views.find((v) => v.kinds === "any");
  if (!fallback) throw new Error("The body views need one view for any kind.");
  const mode = chosen ?? (views.find((v) => opensFor(v, body)) ?? fallback).mode.id;
  const view = views.find((v) => v.mode.id === mode && viewApplies(v, body)) ?? fallback;
  return { modes: shown, mode, view };
}
