import { afterAll, beforeAll } from 'vitest'
import { startKeto } from '@ticketing/dev/keto'
import { createPermissions, type Permissions } from '../platform/permissions'

/**
 * Starts the Keto stand-in (the project's OPL, Keto's HTTP API) for this test file and returns
 * a getter for the permissions client the services use.
 * @example const permissions = useKeto(); ... createApp({ permissions: permissions(), ... })
 */
export function useKeto(): () => Permissions {
  let keto: Awaited<ReturnType<typeof startKeto>> | undefined
  let permissions: Permissions | undefined
  beforeAll(async () => {
    keto = await startKeto({ readPort: 0, writePort: 0 })
    permissions = createPermissions({ readUrl: keto.readUrl, writeUrl: keto.writeUrl })
  })
  afterAll(() => keto?.close())
  return () => {
    if (!permissions) throw new Error('useKeto() gives its client once the file has started')
    return permissions
  }
}
