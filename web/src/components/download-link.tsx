import { type MouseEvent, type ReactNode, useState } from "react";
import { useI18n } from "../i18n/i18n.js";

/**
 * A link to a file the server writes as it is downloaded (the exports). The browser's own download
 * takes it, streamed to disk and listed among its downloads, through a hidden frame: a plain
 * `<a download>` that the server refuses (too many downloads running, a session expired, results
 * not published) ends as a failed download in the browser's list, with nothing on the page to say
 * why. A refusal loads in the frame instead, and its message is shown beside the link, in
 * the page's language. A click with a modifier key (a new tab, save as) is left to the browser.
 */
export function DownloadLink({
  href,
  className,
  testId,
  children,
}: {
  href: string;
  className?: string;
  testId: string;
  children: ReactNode;
}) {
  const { errorText } = useI18n();
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const start = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    setRefusal(null);
    downloadInFrame(href, setRefusal);
  };
  return (
    <>
      <a className={className} href={href} download onClick={start} data-testid={testId}>
        {children}
      </a>
      {refusal && (
        <span className="field-error" role="alert" data-testid={`${testId}-error`}>
          {errorText(refusal.error)}
        </span>
      )}
    </>
  );
}

/** What the page says of a download that did not start: the API's answer, or none reached. */
interface Refusal {
  /** `{ error, code, ... }` as the API answers, or a TypeError for a server out of reach. */
  error: unknown;
}

/**
 * Starts the download in a hidden frame of its own. A file the server sends as an attachment never
 * loads in the frame; anything that does is not the file. The frame is left in place: removing it
 * while the server has not answered yet (a download may wait a minute for a place) would cancel
 * the download, and a frame that did load is removed once read.
 */
function downloadInFrame(href: string, refused: (refusal: Refusal) => void): void {
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.addEventListener("load", () => {
    const refusal = readRefusal(frame);
    frame.remove();
    if (refusal) refused(refusal);
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
