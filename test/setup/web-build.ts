import { ensureWebBuild } from '../../dev/src/stack/web-build'

/** vitest globalSetup of the browser tier: the tests drive the app as built from the current sources (rebuilt when they changed). */
export default async function setup() {
  await ensureWebBuild()
}
