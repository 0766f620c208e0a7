import { describe, expect, it } from 'vitest'
import { centsToInput, formatPrice, parsePrice } from './money'

const largest = 99_999_999 // the API's maximum price in cents

describe('parsePrice', () => {
  it('when a price has cents, then it is read digit by digit into integer cents', () => {
    expect(parsePrice('42.50')).toBe(4250)
    expect(parsePrice('0.29')).toBe(29) // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parsePrice('19,99')).toBe(1999)
  })

  it('when a price has one decimal or none, then the missing cents are zeros', () => {
    expect(parsePrice('42.5')).toBe(4250)
    expect(parsePrice(' $7 ')).toBe(700)
  })

  it('when the text is not a plain amount, then it is refused', () => {
    for (const text of ['', 'abc', '1.234', '1,234.50', '-5', '4e3', '.50']) expect(parsePrice(text)).toBeNull()
  })

  it('when a price has six whole digits, then it is the largest the API takes', () => {
    expect(parsePrice('999999.99')).toBe(largest)
  })

  it('when a price has seven whole digits or more, then it is refused', () => {
    for (const text of ['1000000', '1000000.00', '123456789']) expect(parsePrice(text)).toBeNull()
  })
})

describe('centsToInput', () => {
  it('when cents are shown for editing, then parsing them back gives the same cents', () => {
    for (const cents of [1, 29, 50, 4250, largest]) expect(parsePrice(centsToInput(cents))).toBe(cents)
  })

  it('when a price is below one unit, then the whole part is a zero', () => {
    expect(centsToInput(5)).toBe('0.05')
    expect(centsToInput(50)).toBe('0.50')
    expect(centsToInput(4205)).toBe('42.05')
  })
})

describe('formatPrice', () => {
  // Locale-independent: the separators and symbol vary with the reader's locale, the digits do not.
  const digitsOf = (text: string) => text.replace(/\D/g, '')

  it('when cents are formatted, then every digit of the amount is shown', () => {
    expect(digitsOf(formatPrice(29))).toBe('029')
    expect(digitsOf(formatPrice(4250))).toBe('4250')
    expect(digitsOf(formatPrice(largest))).toBe('99999999')
  })

  it('when cents are formatted, then they read as the reader\'s locale writes that many dollars', () => {
    const dollars = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' })
    expect(formatPrice(4250)).toBe(dollars.format(42.5))
    expect(formatPrice(5)).toBe(dollars.format(0.05))
  })
})
