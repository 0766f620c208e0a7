import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Bundles services/<name>/src/main.ts and every package it reaches into one ESM file, so the image
 * ships exactly what the service uses and no node_modules. The metafile tells which packages went in.
 * @example await bundleService('tickets', '/out/dist/main.js')
 */
export async function bundleService(name: string, outfile: string, root = repoRoot): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(root, 'services', name, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // CommonJS packages inside an ESM bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  })
  return result.metafile
}

/** The npm packages whose files a bundle contains, by name. */
export function bundledPackages(metafile: Metafile): string[] {
  const names = Object.keys(metafile.inputs).flatMap((input) => {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/)
    return match?.[1] ? [match[1]] : []
  })
  return [...new Set(names)].sort()
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (invokedDirectly) {
  const [name, outfile] = process.argv.slice(2)
  if (!name || !outfile) {
    console.error('usage: tsx k8s/image/bundle-service.ts <service> <outfile>')
    process.exit(2)
  }
  await bundleService(name, resolve(outfile))
}
