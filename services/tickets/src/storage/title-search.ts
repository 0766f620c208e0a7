/**
 * The folding and trigrams both adapters search titles by, so SQLite and MongoDB find the same tickets.
 * JavaScript folds, not the database: SQLite's lower() folds ASCII only, so "ÉTÉ" would not find "été".
 */
export const fold = (text: string) => text.toLowerCase()

/** A trigram index cannot answer a needle shorter than one trigram; those queries scan instead. */
export const isIndexable = (folded: string) => [...folded].length >= 3

/**
 * The distinct three-character substrings of already-folded text, counted in code points as SQLite's trigram
 * tokenizer counts them. Every substring of 3+ characters has all its trigrams among its title's.
 * @example trigrams('opera') // ['ope', 'per', 'era']
 */
export function trigrams(folded: string): string[] {
  const chars = [...folded]
  const grams = new Set<string>()
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''))
  return [...grams]
}
