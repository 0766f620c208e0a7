import { z } from 'zod'

/** The part of a JSON Schema the fuzzer reads, with `$ref`s resolved. */
export type Schema = {
  type?: string
  properties: Record<string, Schema>
  required: string[]
  items?: Schema
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  enum?: unknown[]
  example?: unknown
}

export type Param = { name: string; in: string; schema: Schema }

/** One operation of a service's OpenAPI document: what the fuzzer mutates. */
export type Route = { service: string; method: string; template: string; params: Param[]; body?: Schema }

const SchemaNode = z.looseObject({
  $ref: z.string().optional(),
  type: z.union([z.string(), z.array(z.string())]).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
  items: z.unknown().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  enum: z.array(z.unknown()).optional(),
  example: z.unknown().optional(),
})

const Operation = z.looseObject({
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string(), schema: z.unknown().optional() })).optional(),
  requestBody: z.looseObject({ content: z.record(z.string(), z.looseObject({ schema: z.unknown().optional() })) }).optional(),
})

const Document = z.looseObject({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
})

const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options'])

function resolve(value: unknown, components: Record<string, unknown>, depth = 0): Schema {
  const node = SchemaNode.parse(value ?? {})
  if (node.$ref && depth < 8) return resolve(components[node.$ref.replace('#/components/schemas/', '')], components, depth + 1)
  const child = (v: unknown) => resolve(v, components, depth + 1)
  return {
    // `["string", "null"]` is a string that may be null; the fuzzer needs only the first.
    type: Array.isArray(node.type) ? node.type[0] : node.type,
    properties: Object.fromEntries(Object.entries(node.properties ?? {}).map(([name, v]) => [name, child(v)])),
    required: node.required ?? [],
    ...(node.items !== undefined ? { items: child(node.items) } : {}),
    minLength: node.minLength,
    maxLength: node.maxLength,
    minimum: node.minimum,
    maximum: node.maximum,
    enum: node.enum,
    example: node.example,
  }
}

/**
 * Every operation of an OpenAPI 3.1 document, with its path template, parameters and JSON body schema.
 * @example routesOf('tickets', await (await fetch(`${gateway}/api/tickets/openapi.json`)).json())
 */
export function routesOf(service: string, document: unknown): Route[] {
  const doc = Document.parse(document)
  const components = doc.components?.schemas ?? {}
  return Object.entries(doc.paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([method]) => methods.has(method))
      .map(([method, raw]) => {
        const op = Operation.parse(raw)
        const json = Object.entries(op.requestBody?.content ?? {}).find(([type]) => type.includes('json'))
        return {
          service,
          method: method.toUpperCase(),
          template,
          params: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, schema: resolve(p.schema, components) })),
          ...(json ? { body: resolve(json[1].schema, components) } : {}),
        }
      }),
  )
}
