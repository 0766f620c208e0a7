/** The marketplace's currency; prices travel as integer cents of it. */
export const currency = 'USD'

/** The API's smallest price in cents; its largest, 999,999.99, is what six whole digits hold. */
export const minPriceCents = 50

const formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency })

/** 4250 → "42.50": the form's editable text for a price, cut from the digits (no floating point). */
export function centsToInput(cents: number): string {
  const digits = String(cents).padStart(3, '0')
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`
}

/** 4250 → "$42.50" in the reader's locale; Intl formats the decimal string itself. */
export const formatPrice = (cents: number): string => formatter.format(centsToInput(cents) as `${number}`)

// At most six whole digits (the API's maximum), then at most two decimals after "." or ",".
// Thousands separators are refused, not guessed.
const pricePattern = /^(\d{1,6})(?:[.,](\d{1,2}))?$/

/**
 * Reads a price typed in currency units as integer cents, from the digits themselves (no floating point):
 * "42.50" → 4250, "42.5" → 4250, "7" → 700; anything else → null. The minimum is the form's to check.
 */
export function parsePrice(text: string): number | null {
  const match = pricePattern.exec(text.trim().replace(/^\$\s*/, ''))
  if (!match) return null
  const [, whole = '0', fraction = ''] = match
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}
