import type { DataCheck } from "../api/client.js";
import { fillMessage } from "../i18n/fill-message.js";
import type { Messages } from "../i18n/messages.js";

/**
 * What a data check found, in the reader's language: the words kept for its kind and table, with
 * the stores it names. The batch stores a French description with each check; it is shown only
 * for a check the pages have no words for (a kind added later) and for a per-store check of a run
 * made before the stores were kept apart (its description names them).
 */
export function dataCheckDetail(check: DataCheck, messages: Messages): string {
  const words = (messages as Record<string, string>)[
    `checkDetail_${check.kind}_${check.tableName}`
  ];
  const perStore = words?.includes("{stores}") === true;
  if (words === undefined || (perStore && !check.stores?.length)) return check.description;
  return fillMessage(words, { stores: (check.stores ?? []).join(", ") });
}
