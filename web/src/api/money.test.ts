import { describe, expect, it } from 'vitest'
import { centsToInput, parsePrice } from './money'

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
})

describe('centsToInput', () => {
  it('when cents are shown for editing, then parsing them back gives the same cents', () => {
    for (const cents of [1, 29, 4250, 100000000]) expect(parsePrice(centsToInput(cents))).toBe(cents)
    expect(centsToInput(4205)).toBe('42.05')
  })
})
