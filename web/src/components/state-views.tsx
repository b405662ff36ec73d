import { useI18n } from "../i18n/i18n.js";
import type { AsyncState } from "./use-async.js";

/** Loading and error states, the same on every page. */
export function AsyncView<T>({
  state,
  children,
}: {
  state: AsyncState<T>;
  children: (data: T) => React.ReactNode;
}) {
  const { t, errorText } = useI18n();
  if (state.status === "loading")
    return (
      <p className="loading" aria-busy="true">
        {t("loading")}
      </p>
    );
  if (state.status === "error") {
    const message = errorText(state.error);
    return (
      <p className="banner error" role="alert">
        {message}
      </p>
    );
  }
  return <>{children(state.data)}</>;
}
