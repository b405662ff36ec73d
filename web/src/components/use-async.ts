import { useEffect, useState } from "react";

export type AsyncState<T> =
  | { status: "loading" }
  | { status: "error"; error: Error & { status?: number } }
  | { status: "ready"; data: T };

/** Loads data when its dependencies change; stale answers of an earlier request are dropped. */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on
  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    load().then(
      (data) => current && setState({ status: "ready", data }),
      (error: Error) => current && setState({ status: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [...deps, version]);
  return [state, () => setVersion((v) => v + 1)];
}
