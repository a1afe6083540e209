/*
 * People type fast in a launcher: "oepn", "tetx", "emial". Rules that look for a word also take a typo of
 * it, one letter off, where a word that short is not often another word.
 */

/** Whether two words differ by one letter added, dropped, changed, or two neighbours swapped. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rest = (x: string, y: string) => x.slice(i + 1) === y.slice(i + 1);
  if (a.length === b.length)
    return rest(a, b) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Whether any word of `text` is one of `words`, or (from four letters) one letter off one of them. */
export function hasWordOrTypo(text: string, words: readonly string[]): boolean {
  const written = wordsOf(text);
  // A short word one letter off is most often another word: "end" is no typo of "send".
  return written.some((word) =>
    words.some((wanted) => word === wanted || (word.length >= 4 && oneEditApart(word, wanted))),
  );
}

/** The words of `text` in lower case, as the rules above compare them ("w/" and "e-mail" are one word). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}/-]+/gu) ?? [];
}
