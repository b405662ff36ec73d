import { type MouseEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n.js";

/**
 * A link to a file the server writes as it is downloaded (the exports). The browser's own download
 * takes it, streamed to disk and listed among its downloads, through a hidden frame: a plain
 * `<a download>` that the server refuses (too many downloads running, a session expired, results
 * not published) ends as a failed download in the browser's list, with nothing on the page to say
 * why. A refusal loads in the frame instead, and its message is shown beside the link, in
 * the page's language. A click with a modifier key (a new tab, save as) is left to the browser.
 *
 * With `announcesStart` (a route that takes `download=<token>`: the forecasts' export, which may
 * wait a minute for a place), the page says the file is being prepared until the server's answer
 * sets the token's cookie with the file's first bytes, or a refusal loads: a manager who saw
 * nothing happen would click again, and wait longer.
 */
export function DownloadLink({
  href,
  className,
  testId,
  announcesStart = false,
  children,
}: {
  href: string;
  className?: string;
  testId: string;
  announcesStart?: boolean;
  children: ReactNode;
}) {
  const { t, errorText } = useI18n();
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [preparing, setPreparing] = useState(false);
  const stopWatching = useRef<(() => void) | null>(null);
  useEffect(() => () => stopWatching.current?.(), []);
  const start = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    setRefusal(null);
    stopWatching.current?.();
    if (!announcesStart) {
      downloadInFrame(href, (r) => r && setRefusal(r));
      return;
    }
    const token = downloadToken();
    // Ends this download's watch only: an earlier click's frame loading late leaves a later
    // click's in place.
    const done = () => {
      stop();
      if (stopWatching.current !== stop) return;
      stopWatching.current = null;
      setPreparing(false);
    };
    const stop = watchDownloadStart(token, done);
    stopWatching.current = stop;
    setPreparing(true);
    downloadInFrame(withToken(href, token), (r) => {
      done();
      if (r) setRefusal(r);
    });
  };
  return (
    <>
      <a className={className} href={href} download onClick={start} data-testid={testId}>
        {children}
      </a>
      {/* Always in the page, so that screen readers hear what is put in it. */}
      <span role="status" className="download-status" data-testid={`${testId}-status`}>
        {preparing ? t("downloadPreparing") : ""}
      </span>
      {refusal && (
        <span className="field-error" role="alert" data-testid={`${testId}-error`}>
          {errorText(refusal.error)}
        </span>
      )}
    </>
  );
}

/** The cookie's name the server sets for `token` (src/server/routes/predictions.ts). */
const startedCookie = (token: string) => `optiflow_download_${token}`;
/** Beyond the server's wait for a place and its cookie's life: the page stops saying it. */
const WATCH_AT_MOST_MS = 150_000;

/**
 * Letters and digits only, as the route accepts them in a cookie's name (getRandomValues, not
 * randomUUID: a shop's server on its own network is reached over plain http).
 */
function downloadToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}

function withToken(href: string, token: string): string {
  return `${href}${href.includes("?") ? "&" : "?"}download=${token}`;
}

/** Calls `started` once the token's cookie is set (and clears it); returns how to stop. */
function watchDownloadStart(token: string, started: () => void): () => void {
  const name = startedCookie(token);
  const since = Date.now();
  const timer = window.setInterval(() => {
    const set = document.cookie.split(";").some((c) => c.trim().startsWith(`${name}=`));
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox ESR.
    if (set) document.cookie = `${name}=; Max-Age=0; Path=/; SameSite=Strict`;
    if (set || Date.now() - since > WATCH_AT_MOST_MS) started();
  }, 250);
  return () => window.clearInterval(timer);
}

/** What the page says of a download that did not start: the API's answer, or none reached. */
interface Refusal {
  /** `{ error, code, ... }` as the API answers, or a TypeError for a server out of reach. */
  error: unknown;
}

/**
 * Starts the download in a hidden frame of its own. A file the server sends as an attachment never
 * loads in the frame; anything that does is not the file (`loaded` with the refusal, or null for
 * an empty frame some browsers leave once a download has been handed over). The frame is left in
 * place: removing it while the server has not answered yet (a download may wait a minute for a
 * place) would cancel the download, and a frame that did load is removed once read.
 */
function downloadInFrame(href: string, loaded: (refusal: Refusal | null) => void): void {
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.addEventListener("load", () => {
    const refusal = readRefusal(frame);
    frame.remove();
    loaded(refusal);
  });
  frame.src = href;
  document.body.append(frame);
}

/**
 * The API's refusal as the frame shows it (JSON with a `code`); any other text is an answer from
 * something else on the way (a proxy's error page). A frame the page cannot read is the browser's
 * own error page: the server was out of reach. An empty frame is what some browsers leave once a
 * download has been handed over: nothing to say.
 */
function readRefusal(frame: HTMLIFrameElement): Refusal | null {
  let text: string | null | undefined;
  try {
    text = frame.contentDocument?.body?.textContent;
  } catch {
    text = null;
  }
  if (text === null || text === undefined) return { error: new TypeError("unreachable") };
  if (text.trim() === "") return null;
  try {
    const body = JSON.parse(text) as { code?: unknown };
    if (typeof body?.code === "string") return { error: body };
  } catch {
    // Not the API's answer: said as the unexpected error it is.
  }
  return { error: { code: "internal" } };
}
