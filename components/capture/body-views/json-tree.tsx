"use client";
// JSON as a tree: fold and unfold nodes (or all), copy a node's path (`.data.object.amount`) or
// its value, and find keys and values. Numbers show the digits that were sent. A big body opens
// only as many levels as keep about OPEN_ROWS rows on screen, and a container lists CHILD_CAP
// children at a time, so a 1 MiB body renders a few hundred rows, not its 50,000 nodes. JSON that
// is not valid, too deep or over 1 MiB falls back to the Raw view with a notice (as Formatted does).
import { memo, useMemo, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { copyText } from "@/components/ui/clipboard";
import { showToast } from "@/components/ui/toaster";
import { findInJsonTree, jsonPath, jsonValueText, openToBudget, parseJsonTree, type TJsonNode } from "@/lib/shared/format/json-tree";
import { findRanges, Marked, useFindResults, type TFind } from "./find";
import { PARTIAL_JSON_NOTICE } from "./parts";
import { RawView } from "./raw";
import { TREE, type TBodyView, type TBodyViewProps } from "./types";

/** Rows a body opens with (whole levels, at least the top one). */
const OPEN_ROWS = 400;
/** Rows "Unfold all" may open; deeper levels of a bigger body stay folded. */
const UNFOLD_ROWS = 5000;
/** Children of one container listed before "Show more". */
const CHILD_CAP = 200;

/** Token colours, each at least 4.5:1 on the page's light and dark backgrounds; the highlighter uses the same. */
export const JSON_COLOURS = {
  key: "text-sky-800 dark:text-sky-300",
  string: "text-emerald-700 dark:text-emerald-300",
  number: "text-amber-700 dark:text-amber-300",
  literal: "text-fuchsia-700 dark:text-fuchsia-300",
  punctuation: "text-zinc-500 dark:text-zinc-400",
} as const;

type TRow = { node: TJsonNode; more?: undefined } | { more: TJsonNode; shown: number; node?: undefined };

function JsonTreeBody({ bytes, text, bodyUrl, fileName, find, partial }: TBodyViewProps) {
  const tree = useMemo(() => parseJsonTree(text ?? ""), [text]);
  if (!tree.ok) {
    const notice = partial ? PARTIAL_JSON_NOTICE : tree.reason;
    return <RawView text={text ?? ""} total={bytes.length} bodyUrl={bodyUrl} fileName={fileName} notice={notice} find={find} />;
  }
  return <JsonTree key={text} root={tree.root} nodes={tree.nodes} find={find} />;
}

function JsonTree({ root, nodes, find }: { root: TJsonNode; nodes: TJsonNode[]; find?: TFind }) {
  const containers = useMemo(() => nodes.filter((n) => n.children.length > 0).length, [nodes]);
  const [open, setOpen] = useState(() => openToBudget(nodes, OPEN_ROWS));
  const [caps, setCaps] = useState<ReadonlyMap<number, number>>(new Map());
  const ref = useRef<HTMLDivElement>(null);

  const query = find?.query ?? "";
  const matches = useMemo(() => findInJsonTree(nodes, query), [nodes, query]);
  const current = matches.length > 0 ? (((find?.current ?? 0) % matches.length) + matches.length) % matches.length : -1;
  const matchIndex = useMemo(() => new Map(matches.map((m, i) => [`${m.node.id}${m.part}`, i])), [matches]);

  // The current match is shown: its containers unfolded and listed far enough (without changing what the user folded).
  const shownOpen = useMemo(() => {
    const m = matches[current];
    if (!m) return { open, caps };
    const o = new Set(open);
    const c = new Map(caps);
    for (let n = m.node; n.parent; n = n.parent) {
      o.add(n.parent.id);
      const at = n.parent.children.indexOf(n);
      if (at >= (c.get(n.parent.id) ?? CHILD_CAP)) c.set(n.parent.id, at + 1);
    }
    return { open: o, caps: c };
  }, [matches, current, open, caps]);

  const rows = useMemo(() => {
    const out: TRow[] = [];
    const walk = (n: TJsonNode) => {
      const cap = shownOpen.caps.get(n.id) ?? CHILD_CAP;
      for (const c of n.children.slice(0, cap)) {
        out.push({ node: c });
        if (c.children.length > 0 && shownOpen.open.has(c.id)) walk(c);
      }
      if (n.children.length > cap) out.push({ more: n, shown: cap });
    };
    if (root.children.length > 0) walk(root);
    else out.push({ node: root });
    return out;
  }, [root, shownOpen]);

  useFindResults(find, matches.length, ref, rows.length);

  const unfoldAll = () => {
    const o = openToBudget(nodes, UNFOLD_ROWS);
    setOpen(o);
    if (o.size < containers) showToast(`Unfolded the levels that fit ${UNFOLD_ROWS.toLocaleString("en")} rows; deeper ones stay folded.`);
  };
  const toggle = (n: TJsonNode) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(n.id)) next.add(n.id);
      return next;
    });

  return (
    <div data-testid="body-tree" ref={ref}>
      <div className="flex items-center gap-1 border-b border-zinc-100 px-2 py-1 dark:border-zinc-900">
        <button
          type="button"
          className={buttonClass("ghost", "", "sm")}
          data-testid="tree-fold-all"
          onClick={() => setOpen(new Set([root.id]))}
        >
          Fold all
        </button>
        <button type="button" className={buttonClass("ghost", "", "sm")} data-testid="tree-unfold-all" onClick={unfoldAll}>
          Unfold all
        </button>
        <span className="ml-auto text-xs text-zinc-500">Hover a row to copy its path or value</span>
      </div>
      <div className="py-1 font-mono text-[12.5px] leading-5">
        {rows.map((r) =>
          r.more ? (
            <div key={`more-${r.more.id}`} style={{ paddingLeft: `${r.more.depth * 1.25 + 1.75}rem` }}>
              <button
                type="button"
                className={buttonClass("ghost", "", "sm")}
                data-testid="tree-show-more"
                onClick={() => setCaps((prev) => new Map(prev).set(r.more.id, r.shown + CHILD_CAP))}
              >
                Show {Math.min(CHILD_CAP, r.more.children.length - r.shown).toLocaleString("en")} more of{" "}
                {r.more.children.length.toLocaleString("en")}
              </button>
            </div>
          ) : (
            <TreeRow
              key={r.node.id}
              node={r.node}
              open={shownOpen.open.has(r.node.id)}
              onToggle={toggle}
              query={query}
              keyMatch={matchIndex.get(`${r.node.id}key`) ?? -1}
              valueMatch={matchIndex.get(`${r.node.id}value`) ?? -1}
              current={current}
            />
          ),
        )}
      </div>
    </div>
  );
}

function summary(n: TJsonNode): string {
  const count = n.children.length;
  return n.kind === "object" ? `{${count} ${count === 1 ? "key" : "keys"}}` : `[${count} ${count === 1 ? "item" : "items"}]`;
}

async function copy(text: string, what: string) {
  if (await copyText(text)) showToast(what);
  else showToast("Could not copy; select the text and copy it by hand.", "error");
}

const TreeRow = memo(function TreeRow({
  node,
  open,
  onToggle,
  query,
  keyMatch,
  valueMatch,
  current,
}: {
  node: TJsonNode;
  open: boolean;
  onToggle: (n: TJsonNode) => void;
  query: string;
  keyMatch: number;
  valueMatch: number;
  current: number;
}) {
  const path = jsonPath(node);
  const container = node.kind === "object" || node.kind === "array";
  const hit = (text: string, match: number) =>
    match >= 0 ? (
      <Marked text={text} ranges={findRanges(text, query)} current={match === current ? 0 : -1} />
    ) : (
      <Marked text={text} ranges={[]} current={-1} />
    );
  return (
    <div
      data-testid="tree-row"
      data-path={path}
      data-open={container ? open : undefined}
      className="group flex items-start gap-1 pr-2 hover:bg-zinc-50 dark:hover:bg-zinc-900"
      style={{ paddingLeft: `${Math.max(node.depth - 1, 0) * 1.25 + 0.5}rem` }}
    >
      {container && node.children.length > 0 ? (
        <button
          type="button"
          aria-expanded={open}
          aria-label={`${open ? "Fold" : "Unfold"} ${path}`}
          data-testid="tree-toggle"
          onClick={() => onToggle(node)}
          className="w-4 shrink-0 rounded text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100"
        >
          {open ? "▾" : "▸"}
        </button>
      ) : (
        <span className="w-4 shrink-0" />
      )}
      <span className="min-w-0 flex-1 break-all whitespace-pre-wrap">
        {typeof node.key === "string" && (
          <>
            <span className={JSON_COLOURS.key} data-testid="tree-key">
              &quot;{hit(node.key, keyMatch)}&quot;
            </span>
            <span className={JSON_COLOURS.punctuation}>: </span>
          </>
        )}
        {typeof node.key === "number" && <span className={JSON_COLOURS.punctuation}>{node.key}: </span>}
        {container ? (
          <button type="button" className={`${JSON_COLOURS.punctuation} hover:underline`} onClick={() => onToggle(node)} tabIndex={-1}>
            {summary(node)}
          </button>
        ) : (
          <span
            data-testid="tree-value"
            className={node.kind === "string" ? JSON_COLOURS.string : node.kind === "number" ? JSON_COLOURS.number : JSON_COLOURS.literal}
          >
            {node.kind === "string" ? <>&quot;{hit(node.value, valueMatch)}&quot;</> : hit(node.value, valueMatch)}
          </span>
        )}
      </span>
      <span className="flex shrink-0 gap-1 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
        <button
          type="button"
          data-testid="tree-copy-path"
          className="rounded px-1 font-sans text-xs text-zinc-600 hover:bg-zinc-200 focus:opacity-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          aria-label={`Copy path ${path}`}
          onClick={() => void copy(path, `Copied path ${path}`)}
        >
          Copy path
        </button>
        <button
          type="button"
          data-testid="tree-copy-value"
          className="rounded px-1 font-sans text-xs text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
          aria-label={`Copy value of ${path}`}
          onClick={() => void copy(jsonValueText(node), `Copied value of ${path}`)}
        >
          Copy value
        </button>
      </span>
    </div>
  );
});

export const jsonTreeView: TBodyView = { id: "json-tree", mode: TREE, kinds: ["json"], findable: true, Component: JsonTreeBody };
