"use client";
// Find in body: the viewer owns the query and which match is current; a view that can search
// (`findable`) marks its matches, reports how many there are and scrolls the current one into view.
import { useEffect, type ReactNode, type RefObject } from "react";
import { EscapedText } from "@/components/capture/escaped-text";

export interface TFind {
  query: string;
  /** Index of the current match (taken modulo the count). */
  current: number;
  onCount: (count: number) => void;
}

/** Matches beyond this are not marked (the count says "10000+"). */
export const FIND_MAX = 10_000;

export const MARK = "rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700/70";
export const MARK_CURRENT = "rounded-sm bg-orange-300 text-inherit ring-2 ring-orange-500 dark:bg-orange-600";

/** [start, end) of each case-insensitive occurrence of `query` in `text`. */
export function findRanges(text: string, query: string, max = FIND_MAX): [number, number][] {
  const out: [number, number][] = [];
  if (!query) return out;
  let hay = text.toLowerCase();
  let needle = query.toLowerCase();
  // Lower-casing can change lengths (İ); then the offsets would not line up, so match case as typed.
  if (hay.length !== text.length || needle.length !== query.length) {
    hay = text;
    needle = query;
  }
  for (let i = hay.indexOf(needle); i !== -1 && out.length < max; i = hay.indexOf(needle, i + needle.length))
    out.push([i, i + needle.length]);
  return out;
}

/** Text with its matches marked; `current` is the index in `ranges` of the current match (-1: none here). */
export function Marked({
  text,
  ranges,
  current,
  multiline,
}: {
  text: string;
  ranges: readonly [number, number][];
  current: number;
  multiline?: boolean;
}) {
  if (ranges.length === 0) return <EscapedText text={text} multiline={multiline} />;
  const out: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    if (s > at) out.push(<EscapedText key={`t${i}`} text={text.slice(at, s)} multiline={multiline} />);
    const isCurrent = i === current;
    out.push(
      <mark key={`m${i}`} data-find-match="" data-find-current={isCurrent || undefined} className={isCurrent ? MARK_CURRENT : MARK}>
        <EscapedText text={text.slice(s, e)} multiline={multiline} />
      </mark>,
    );
    at = e;
  });
  if (at < text.length) out.push(<EscapedText key="end" text={text.slice(at)} multiline={multiline} />);
  return <>{out}</>;
}

/** Reports the count and keeps the current match in view (inside the page's scroll). */
export function useFindResults(find: TFind | undefined, count: number, container: RefObject<HTMLElement | null>, revision: unknown = null) {
  const onCount = find?.onCount;
  useEffect(() => onCount?.(count), [onCount, count]);
  const query = find?.query;
  const current = find?.current;
  useEffect(() => {
    if (!query) return;
    container.current?.querySelector("[data-find-current]")?.scrollIntoView({ block: "center", inline: "nearest" });
  }, [query, current, count, container, revision]);
}
