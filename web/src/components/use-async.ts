import { useEffect, useRef, useState } from "react";

export type AsyncState<T> =
  | { status: "loading" }
  | { status: "error"; error: Error & { status?: number } }
  | { status: "ready"; data: T; refreshing?: boolean };

/**
 * Loads data when its dependencies change; stale answers of an earlier request are dropped.
 * While a new answer is on its way the previous one stays on screen (`refreshing`), so that a
 * filter or a "show more" never blanks the page nor throws the reader back to its top.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [version, setVersion] = useState(0);
  const last = useRef<T | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on
  useEffect(() => {
    let current = true;
    setState(
      last.current === null
        ? { status: "loading" }
        : { status: "ready", data: last.current, refreshing: true },
    );
    load().then(
      (data) => {
        if (!current) return;
        last.current = data;
        setState({ status: "ready", data });
      },
      (error: Error) => current && setState({ status: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, version]);
  return [state, () => setVersion((v) => v + 1)];
}
