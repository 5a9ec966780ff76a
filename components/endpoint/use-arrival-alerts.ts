"use client";
// Arrivals the user is not looking at: the tab title counts the captures that arrived while the
// tab was hidden ("(3) name · Hookscope") until they come back, and, once asked for with a click
// (the only moment the browser's permission prompt may appear), one desktop notification per
// arrival batch while the tab is hidden. The notification choice is remembered per browser.
import { useCallback, useEffect, useRef, useState } from "react";
import { onArrivals } from "@/lib/browser/query/live-arrivals";
import { escapeHidden } from "@/lib/shared/format/invisible";

const NOTIFY_KEY = "hookscope.notify-arrivals";

function notificationsGranted(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "granted";
}

function notifyRemembered(): boolean {
  if (typeof window === "undefined") return false;
  try {
    return window.localStorage.getItem(NOTIFY_KEY) === "1" && notificationsGranted();
  } catch {
    return false;
  }
}

function remember(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(NOTIFY_KEY, "1");
    else window.localStorage.removeItem(NOTIFY_KEY);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}

export function useArrivalAlerts(endpointId: string, endpointName: string) {
  const [unseen, setUnseen] = useState(0);
  const [notify, setNotify] = useState(notifyRemembered);
  const [notifyProblem, setNotifyProblem] = useState<string | null>(null);
  const latest = useRef({ notify, name: endpointName });
  useEffect(() => {
    latest.current = { notify, name: endpointName };
  });

  useEffect(() => {
    const back = () => {
      if (document.visibilityState === "visible") setUnseen(0);
    };
    document.addEventListener("visibilitychange", back);
    return () => document.removeEventListener("visibilitychange", back);
  }, []);

  useEffect(
    () =>
      onArrivals((a) => {
        if (a.endpointId !== endpointId || a.kind !== "captures" || a.captures.length === 0) return;
        if (document.visibilityState !== "hidden") return;
        const count = a.captures.length;
        setUnseen((n) => n + count);
        if (!latest.current.notify || !notificationsGranted()) return;
        const newest = a.captures.reduce((x, y) => (y.seq > x.seq ? y : x));
        const name = escapeHidden(latest.current.name);
        let n: Notification;
        try {
          n = new Notification(count === 1 ? `New capture · ${name}` : `${count} new captures · ${name}`, {
            body: `${newest.method} ${newest.path}`,
            tag: `hookscope-${endpointId}`,
          });
        } catch {
          return; // a browser that only notifies from a service worker (Chrome on Android)
        }
        n.onclick = () => {
          window.focus();
          n.close();
        };
      }),
    [endpointId],
  );

  /** The button's click: asks for permission if the browser has not been asked yet. */
  const toggleNotify = useCallback(async () => {
    if (notify) {
      remember(false);
      setNotify(false);
      return;
    }
    if (typeof Notification === "undefined") {
      setNotifyProblem("This browser has no desktop notifications.");
      return;
    }
    const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted") {
      setNotifyProblem("Notifications are blocked for this site: allow them in the browser's site settings, then try again.");
      return;
    }
    setNotifyProblem(null);
    remember(true);
    setNotify(true);
  }, [notify]);

  return { unseen, notify, notifyProblem, toggleNotify };
}

export type TArrivalAlerts = ReturnType<typeof useArrivalAlerts>;
