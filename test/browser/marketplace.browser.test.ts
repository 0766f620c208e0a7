import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startLocalStack, type LocalStack } from '../../dev/src/stack'
import { chromiumAvailable, launchChromium, newPerson, waitForText } from './browser-kit'
import { findAndReserve, listTicket, orderStatus, pay, signIn, signOut, signUp } from './marketplace-steps'

const run = `${process.pid}-${Date.now().toString(36)}`
const sam = `sam.${run}@example.com`
const bea = `bea.${run}@example.com`
const concert = { title: `Radiohead, Berlin ${run}`, description: 'Standing, block B', price: '42.50' }
const second = { title: `Portishead, Bristol ${run}`, description: 'Seated', price: '19.99' }

describe.skipIf(!chromiumAvailable())('marketplace in a browser', () => {
  let stack: LocalStack
  let browser: Browser
  let samPage: Page
  let beaPage: Page
  const crashes: string[] = []

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, dataDir: ':memory:', quiet: true })
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('when Sam signs up and lists a ticket priced "42.50", then its page shows $42.50', async () => {
    samPage = await newPerson(browser, stack.url, crashes)
    await signUp(samPage, sam)

    const shown = await listTicket(samPage, concert)
    await listTicket(samPage, second)

    expect(shown).toBe('$42.50')
    await signOut(samPage)
  })

  it('when Bea signs up, finds the ticket by its title and reserves it, then the order page counts down', async () => {
    beaPage = await newPerson(browser, stack.url, crashes)
    await signUp(beaPage, bea)

    await findAndReserve(beaPage, concert.title)

    await orderStatus(beaPage, /created/)
    const left = await waitForText(beaPage.getByRole('timer'), /^1[45]:\d\d$/)
    expect(left).toMatch(/^1[45]:\d\d$/)
    expect(await beaPage.getByRole('link', { name: concert.title }).isVisible()).toBe(true)
  })

  it('when Bea pays with "Visa (succeeds)", then the order becomes complete', async () => {
    await pay(beaPage, 'Visa (succeeds)')

    await orderStatus(beaPage, /complete/, 20_000)
    await beaPage.getByText('Paid. The ticket is yours.').waitFor()
    expect(await beaPage.getByRole('timer').count()).toBe(0)
    await beaPage.screenshot({ path: '/tmp/ticketing-order.png', fullPage: true })
  })

  it('when Sam signs in, then My sales lists the order as complete', async () => {
    await signIn(samPage, sam)

    await samPage.getByRole('link', { name: 'My sales' }).click()

    const sale = samPage.getByRole('listitem').filter({ hasText: concert.title })
    expect(await waitForText(sale, /complete/)).toContain('$42.50')
  })

  it('when Bea pays for a second ticket with "Declined card", then she sees Stripe\'s message and may pay again', async () => {
    await findAndReserve(beaPage, second.title)

    await pay(beaPage, 'Declined card')

    expect(await beaPage.getByRole('alert').textContent()).toBe('Your card was declined.')
    await orderStatus(beaPage, /created/)
    expect(await beaPage.getByRole('button', { name: /^Pay/ }).isEnabled()).toBe(true)
    await beaPage.screenshot({ path: '/tmp/ticketing-order-declined.png', fullPage: true })
  })

  it('when the whole journey is done, then the app threw no uncaught error', () => {
    expect(crashes).toEqual([])
  })
})
