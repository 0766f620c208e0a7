import { describe, expect, it } from 'vitest'
import { fieldErrors } from '@ticketing/shared/platform'
import { NewTicketBody, TicketChangesBody } from './schemas'

const errorsOf = (result: ReturnType<typeof NewTicketBody.safeParse> | ReturnType<typeof TicketChangesBody.safeParse>) =>
  result.success ? [] : fieldErrors(result.error)

const controlMessage = (what: string) => `${what} cannot contain control characters such as NUL, escape or line breaks`

describe('ticket titles and descriptions', () => {
  it.each([
    ['NUL', '\u0000'],
    ['a bell', '\u0007'],
    ['an escape', '\u001b'],
    ['a line break', '\n'],
    ['a tab', '\t'],
    ['a carriage return', '\r'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
  ])('when a title contains %s, then it is refused naming the title', (_name, char) => {
    expect(errorsOf(NewTicketBody.safeParse({ title: `Opera${char}night`, price: 1000 }))).toEqual([{ field: 'title', message: controlMessage('A title') }])
  })

  it.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'])(
    'when a title contains the bidirectional control U+%s, then it is refused naming the title',
    (hex) => {
      const char = String.fromCodePoint(Number.parseInt(hex, 16))
      expect(errorsOf(NewTicketBody.safeParse({ title: `Opera ${char}thgin`, price: 1000 }))).toEqual([
        { field: 'title', message: 'A title cannot contain characters that reorder text (bidirectional overrides or isolates, U+202A–U+202E, U+2066–U+2069)' },
      ])
    },
  )

  it('when a description has line breaks and tabs, then it is kept; NUL, escape or a carriage return is refused', () => {
    expect(NewTicketBody.parse({ title: 'Opera night', description: 'Row 5\n\tSeat 12', price: 1000 }).description).toBe('Row 5\n\tSeat 12')
    for (const char of ['\u0000', '\u001b', '\r', '\u007f']) {
      expect(errorsOf(NewTicketBody.safeParse({ title: 'Opera night', description: `Row 5${char}Seat 12`, price: 1000 }))).toEqual([
        { field: 'description', message: 'A description cannot contain control characters other than line breaks and tabs' },
      ])
    }
  })

  it('when a description reorders text, then it is refused naming the description', () => {
    expect(errorsOf(NewTicketBody.safeParse({ title: 'Opera night', description: 'Row \u202E21 taeS', price: 1000 })).map((e) => e.field)).toEqual(['description'])
  })

  it('when an edit puts a control character in the title or description, then both are named', () => {
    expect(errorsOf(TicketChangesBody.safeParse({ title: 'Opera\u0000', description: '\u2067x' })).map((e) => e.field)).toEqual(['title', 'description'])
  })

  it('when text is in any script, with emoji or with the marks right-to-left text needs, then it is accepted', () => {
    const title = 'Кино 東京 مسرح \u200F🎭 café'
    expect(NewTicketBody.parse({ title, description: 'שורה 5\u200E, seat 12', price: 1000 })).toMatchObject({ title, description: 'שורה 5\u200E, seat 12' })
  })
})
