/** The marketplace's currency; prices travel as integer cents of it. */
export const currency = 'USD'

const formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency })

/** 4250 → "$42.50" in the reader's locale. */
export const formatPrice = (cents: number): string => formatter.format(cents / 100)

/** 4250 → "42.50": the form's editable text for a price. */
export function centsToInput(cents: number): string {
  const whole = Math.trunc(cents / 100)
  return `${whole}.${String(cents % 100).padStart(2, '0')}`
}

// Whole units, then at most two decimals after "." or ",". Thousands separators are refused, not guessed.
const pricePattern = /^(\d{1,9})(?:[.,](\d{1,2}))?$/

/**
 * Reads a price typed in currency units as integer cents, from the digits themselves (no floating point):
 * "42.50" → 4250, "42.5" → 4250, "7" → 700; anything else → null.
 */
export function parsePrice(text: string): number | null {
  const match = pricePattern.exec(text.trim().replace(/^\$\s*/, ''))
  if (!match) return null
  const [, whole = '0', fraction = ''] = match
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}
