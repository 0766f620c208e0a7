import type { Page } from 'playwright-core'
import { waitForText } from './browser-kit'

const password = 'a long enough password'

/** Signs up through the Kratos registration form the app renders; waits until the header shows the e-mail. */
export async function signUp(page: Page, email: string) {
  await page.goto('/signup')
  await page.getByLabel('E-Mail').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign up' }).click()
  await page.getByRole('banner').getByText(email).waitFor()
}

/** Signs in through the Kratos login form. */
export async function signIn(page: Page, email: string) {
  await page.goto('/login')
  await page.getByLabel('E-Mail').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in with password' }).click()
  await page.getByRole('banner').getByText(email).waitFor()
}

/** Signs out through the header's link; waits until the header offers signing in. */
export async function signOut(page: Page) {
  await page.getByRole('banner').getByRole('link', { name: 'Sign out' }).click()
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor()
}

/** Lists a ticket through the Sell form; answers the price the ticket page then shows. */
export async function listTicket(page: Page, ticket: { title: string; description: string; price: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sell' }).click()
  await page.getByLabel('Title').fill(ticket.title)
  await page.getByLabel('Description').fill(ticket.description)
  await page.getByLabel(/Price/).fill(ticket.price)
  await page.getByRole('button', { name: 'List ticket' }).click()
  await page.getByRole('heading', { level: 1, name: ticket.title }).waitFor()
  return (await page.locator('.lead .price').textContent())?.trim()
}

/** Searches for a title, opens its card and reserves it; ends on the order page. */
export async function findAndReserve(page: Page, title: string) {
  await page.goto('/')
  await page.getByRole('searchbox', { name: 'Search tickets' }).fill(title)
  await page.getByRole('button', { name: 'Search' }).click()
  await page.getByRole('link', { name: title }).click()
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
  await page.getByRole('button', { name: 'Reserve' }).click()
  await page.getByRole('heading', { level: 1, name: 'Order' }).waitFor()
}

/** Picks a Stripe test card by its label and pays. */
export async function pay(page: Page, card: string) {
  await page.getByLabel('Card').selectOption({ label: card })
  await page.getByRole('button', { name: /^Pay/ }).click()
}

export const orderStatus = (page: Page, pattern: RegExp, timeoutMs?: number) =>
  waitForText(page.getByText(/^Status:/), pattern, timeoutMs)
