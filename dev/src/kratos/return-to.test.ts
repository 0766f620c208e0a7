import { describe, expect, it } from 'vitest'
import { KratosError } from './errors'
import { parseAllowedReturnUrls, secureReturnTo } from './return-to'

const policy = (allowed: string[]) => ({
  defaultUrl: 'https://app.example/',
  allowed: parseAllowedReturnUrls(allowed),
  publicBaseUrl: 'https://app.example/.ory',
})

/** The error id secureReturnTo throws for `requested`, or the URL it allows. */
function outcome(requested: string | undefined, allowed: string[]): string {
  try {
    return secureReturnTo(requested, policy(allowed))
  } catch (error) {
    if (error instanceof KratosError) return `refused: ${error.body.error.id ?? error.body.error.reason}`
    throw error
  }
}

describe('secureReturnTo', () => {
  it('when no return_to is asked for, then the default URL is the answer', () => {
    expect(outcome(undefined, [])).toBe('https://app.example/')
  })

  it("when return_to is relative, then it takes the default URL's scheme and host", () => {
    expect(outcome('/orders?id=1', ['https://app.example'])).toBe('https://app.example/orders?id=1')
  })

  it('when an allowed URL has a path, then only return_to paths under it are allowed', () => {
    expect(outcome('https://shop.example/dashboard/x', ['https://shop.example/dashboard'])).toBe('https://shop.example/dashboard/x')
    expect(outcome('https://shop.example/admin', ['https://shop.example/dashboard'])).toBe('refused: self_service_flow_return_to_forbidden')
  })

  it('when the scheme or the port differs from the allowed URL, then return_to is refused', () => {
    expect(outcome('http://shop.example/', ['https://shop.example'])).toBe('refused: self_service_flow_return_to_forbidden')
    expect(outcome('https://shop.example:8443/', ['https://shop.example'])).toBe('refused: self_service_flow_return_to_forbidden')
  })

  it('when an allowed URL is *.example.org, then its subdomains are allowed and look-alike hosts are not', () => {
    expect(outcome('https://a.b.example.org/x', ['https://*.example.org'])).toBe('https://a.b.example.org/x')
    expect(outcome('https://evilexample.org/', ['https://*.example.org'])).toBe('refused: self_service_flow_return_to_forbidden')
  })

  it('when an allowed URL is a bare or top-level wildcard, then it allows nothing (Kratos drops it)', () => {
    expect(parseAllowedReturnUrls(['https://*', 'https://*.org', 'https://*example.org', '/relative'])).toEqual([])
  })

  it("when return_to is under the stand-in's own /self-service, then it is allowed without being listed", () => {
    expect(outcome('https://app.example/.ory/self-service/login/browser', [])).toBe('https://app.example/.ory/self-service/login/browser')
    expect(outcome('https://app.example/.ory/sessions/whoami', [])).toBe('refused: self_service_flow_return_to_forbidden')
  })

  it('when return_to cannot be parsed as a URL, then it is a 400 without an allowed URL', () => {
    expect(outcome('http://[', ['https://app.example'])).toBe('refused: Unable to parse the return_to query parameter as an URL.')
  })
})
