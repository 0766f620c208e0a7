import ts from 'typescript'

import { OplError } from './opl-error'

export { OplError }

/** Builds an OplError pointing at `node`: `file:line:column: message: <source text>`. */
export function oplError(sourceFile: ts.SourceFile, node: ts.Node, message: string): OplError {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile))
  const text = node.getText(sourceFile).replace(/\s+/g, ' ')
  const shown = text.length > 100 ? `${text.slice(0, 97)}...` : text
  return new OplError(`${sourceFile.fileName}:${line + 1}:${character + 1}: ${message}: \`${shown}\``)
}

/** The text of an identifier or string-literal name (`owners`, `"owners"`), else undefined. */
export function nameText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isIdentifier(node) || ts.isStringLiteral(node))) return node.text
  return undefined
}

/**
 * Splits a property-access chain into names: `this.related["owners"].includes` →
 * `["this", "related", "owners", "includes"]`; undefined for anything else.
 */
export function accessChain(node: ts.Expression): string[] | undefined {
  if (node.kind === ts.SyntaxKind.ThisKeyword) return ['this']
  if (ts.isIdentifier(node)) return [node.text]
  if (ts.isPropertyAccessExpression(node)) {
    const head = accessChain(node.expression)
    return head && [...head, node.name.text]
  }
  if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) {
    const head = accessChain(node.expression)
    return head && [...head, node.argumentExpression.text]
  }
  return undefined
}

/** Whether `node` is exactly the chain `names` (`ctx.subject`, `ctx`). */
export function isChain(node: ts.Expression | undefined, ...names: string[]): boolean {
  const chain = node && accessChain(node)
  return chain !== undefined && chain.join('.') === names.join('.')
}
