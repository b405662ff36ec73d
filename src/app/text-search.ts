/** How the pages' search boxes match: every word, whatever its case and accents. */

/** The text without its accents: "Crème glacée" as "Creme glacee". */
export function withoutAccents(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** Lower case, without accents: "Crème" and "creme" match. */
function foldText(text: string): string {
  return withoutAccents(text).toLowerCase();
}

/** Every word of the search in the text, whatever their case and accents; an empty search, all. */
export function containsEveryWord(text: string, search: string): boolean {
  const words = foldText(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const folded = foldText(text);
  return words.every((w) => folded.includes(w));
}

/** What the Predictions page's search reads of a series: its article's reference and name. */
export function seriesText(article: { reference?: string; name?: string }): string {
  return `${article.reference ?? ""} ${article.name ?? ""}`;
}

/**
 * The series a search finds by their article's reference and name, as the Predictions page's
 * search box finds them: the page's export and `optiflow predictions export --search`. The page
 * lists the names the night's batch published, so `published` ("articleId:storeId" → reference
 * and name) is matched where it holds the series: an article renamed since is found by the same
 * words on the page and in its export. A series it lacks is matched by its name as it is now.
 */
export function seriesFound<
  T extends { articleId: number; storeId: number; article: string; name: string },
>(
  series: readonly T[],
  search: string | undefined,
  published: ReadonlyMap<string, { reference: string; name: string }> = new Map(),
): T[] {
  return series.filter((s) =>
    containsEveryWord(
      seriesText(
        published.get(`${s.articleId}:${s.storeId}`) ?? { reference: s.article, name: s.name },
      ),
      search ?? "",
    ),
  );
}
