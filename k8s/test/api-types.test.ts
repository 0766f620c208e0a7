import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generateApiTypes, generateCommand, generatedDir } from '../../scripts/generate-api-types'

const generated = await generateApiTypes()
const stale = (file: string) => `${relative(process.cwd(), file)} is stale: run \`${generateCommand}\` and commit the result`

describe('the web app\'s generated API types', () => {
  it.each(generated.map((g) => [g.service, g] as const))(
    'when the %s service\'s OpenAPI document is turned into types, then the committed file has exactly that text',
    (_service, { file, text }) => {
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : ''

      expect(committed, stale(file)).toBe(text)
    },
  )

  it('when the generated folder is listed, then it holds one file per service and nothing else', () => {
    const files = readdirSync(generatedDir).sort()

    expect(files, stale(generatedDir)).toEqual(generated.map((g) => `${g.service}.ts`).sort())
  })
})
