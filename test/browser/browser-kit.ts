import { existsSync } from 'node:fs'
import { eventually } from '@ticketing/shared/testing'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'

const chromiumPath = '/usr/bin/chromium'

/**
 * Whether Debian's chromium is installed. Without it the tier is skipped with a loud reason,
 * except under CI, where a missing browser must fail the run instead of passing it silently.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true
  const reason = `browser tier: ${chromiumPath} is missing (apt-get install chromium)`
  if (process.env.CI === 'true') throw new Error(reason)
  console.warn(`\n  SKIPPED ${reason}\n`)
  return false
}

/** Headless chromium with nothing that calls home. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })

/**
 * A fresh browser profile (cookies and all) for one person, in US English. Uncaught errors of the app
 * are collected in `crashes`, so a test can prove none happened.
 */
export async function newPerson(browser: Browser, baseURL: string, crashes: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1100, height: 820 } })
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  page.on('pageerror', (error) => crashes.push(error.message))
  return page
}

/** Waits, bounded, until `locator` shows text matching `pattern`. */
export function waitForText(locator: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return eventually(
    async () => {
      // A short wait per look, so a locator that is not there yet is looked for again.
      const text = (await locator.textContent({ timeout: 1000 }).catch(() => null)) ?? ''
      if (!pattern.test(text)) throw new Error(`expected ${locator.toString()} to show ${pattern}, saw ${JSON.stringify(text)}`)
      return text
    },
    { timeoutMs, intervalMs: 100 },
  )
}
