import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The root package's runtime dependencies: the only packages an image ships in node_modules. */
export function runtimeDependencies(root = repoRoot): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }
  return Object.keys(pkg.dependencies ?? {}).sort()
}

/**
 * Bundles services/<name>/src/main.ts into one ESM file. The workspace packages (the shared
 * kernel is TypeScript without a build step) are inlined; runtime dependencies stay imports
 * resolved from the image's production node_modules.
 * @example await bundleService('tickets', '/out/dist/main.js')
 */
export async function bundleService(name: string, outfile: string, root = repoRoot): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(root, 'services', name, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // esbuild treats an external package name as covering its subpaths (hono/http-exception).
    external: runtimeDependencies(root),
  })
  return result.metafile
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
