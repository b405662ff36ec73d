import { useCallback, useEffect, useState } from "react";

/**
 * Where the user is and what they filtered, in the URL (`#/alertes?level=CRITIQUE&store=1`): a
 * page can be bookmarked, shared, reloaded, and the store chosen in the header follows the user
 * from page to page.
 */
export type PageName = "alertes" | "dashboard" | "predictions" | "article" | "settings";

export interface Route {
  page: PageName;
  /** For the article sheet: #/article/<articleId>/<storeId>. */
  ids: number[];
  params: URLSearchParams;
}

const PAGES: PageName[] = ["alertes", "dashboard", "predictions", "article", "settings"];

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?");
  const [name = "", ...rest] = path.split("/");
  const page = (PAGES as string[]).includes(name) ? (name as PageName) : "alertes";
  return {
    page,
    ids: rest.map(Number).filter((n) => Number.isInteger(n) && n > 0),
    params: new URLSearchParams(search),
  };
}

export function hashFor(
  page: PageName,
  params: Record<string, string | number | undefined | null> = {},
  ids: number[] = [],
): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const query = search.toString();
  return `#/${[page, ...ids].join("/")}${query ? `?${query}` : ""}`;
}

/** Changes the route's parameters: undefined or null removes one. */
export type SetParams = (changes: Record<string, string | number | undefined | null>) => void;

/** The current route, and a way to change its parameters (replacing, not piling up history). */
export function useRoute(): [Route, SetParams] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const update = useCallback(
    (changes: Record<string, string | number | undefined | null>) => {
      const params: Record<string, string | number | undefined | null> = Object.fromEntries(
        route.params,
      );
      Object.assign(params, changes);
      const hash = hashFor(route.page, params, route.ids);
      window.history.replaceState(null, "", hash);
      setRoute(parseHash(hash));
    },
    [route],
  );
  return [route, update];
}

export function numberParam(params: URLSearchParams, name: string): number | undefined {
  const value = Number(params.get(name));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
