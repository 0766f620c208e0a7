import ts from 'typescript'
import type { RewriteChild, SubjectSetRewrite } from './opl-ast'
import { accessChain, isChain, oplError } from './opl-source'

/** Where a permit body sits, and who records the relation names it uses for the type checks. */
export interface ExpressionScope {
  sourceFile: ts.SourceFile
  /** A relation named on the current namespace (`this.related.R`, `this.permits.P`). */
  onRelation(node: ts.Node, relation: string): void
  /** `this.related.R.traverse((x) => ...S...)`: every type of R must declare S. */
  onTraverse(node: ts.Node, relation: string, computedRelation: string): void
}

type Item = { operator: 'and' | 'or' } | { operand: ts.Expression }

const SUPPORTED =
  'unsupported OPL construct (allowed: this.related.R.includes(ctx.subject), ' +
  'this.related.R.traverse((x) => x.related.S.includes(ctx.subject) | x.permits.P(ctx)), ' +
  'this.permits.P(ctx), !, &&, || and parentheses)'

/**
 * Turns a permit body into Keto's rewrite tree. TypeScript's parser gives `&&` precedence
 * over `||`; Keto does not, so the unparenthesised operator chain is flattened back into
 * its token order and folded strictly left to right, exactly as Keto's parser does.
 */
export function parsePermitBody(body: ts.Expression, scope: ExpressionScope): SubjectSetRewrite {
  return simplify(group(body, scope))
}

function group(node: ts.Expression, scope: ExpressionScope): SubjectSetRewrite {
  let root: SubjectSetRewrite | undefined
  for (const item of flatten(node)) {
    if ('operator' in item) {
      root = { kind: 'rewrite', operator: item.operator, children: root ? [root] : [] }
      continue
    }
    const child = operand(item.operand, scope)
    if (root) root.children.push(child)
    else root = child.kind === 'rewrite' ? child : { kind: 'rewrite', operator: 'or', children: [child] }
  }
  if (!root) throw oplError(scope.sourceFile, node, SUPPORTED)
  return root
}

/** Parenthesised sub-expressions stay whole: TypeScript keeps them as ParenthesizedExpression. */
function flatten(node: ts.Expression): Item[] {
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind
    const operator =
      kind === ts.SyntaxKind.AmpersandAmpersandToken ? 'and' : kind === ts.SyntaxKind.BarBarToken ? 'or' : undefined
    if (operator) return [...flatten(node.left), { operator }, ...flatten(node.right)]
  }
  return [{ operand: node }]
}

function operand(node: ts.Expression, scope: ExpressionScope): RewriteChild {
  if (ts.isParenthesizedExpression(node)) return group(node.expression, scope)
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    // Like Keto, `!` takes one call or one parenthesised group (so no `!!x`).
    const inner = node.operand
    const child = ts.isParenthesizedExpression(inner) ? group(inner.expression, scope) : primary(inner, scope)
    return { kind: 'not', child }
  }
  return primary(node, scope)
}

function primary(node: ts.Expression, scope: ExpressionScope): RewriteChild {
  const fail = () => oplError(scope.sourceFile, node, SUPPORTED)
  if (!ts.isCallExpression(node)) throw fail()
  const chain = accessChain(node.expression)
  const [self, verb, relation, method, extra] = chain ?? []
  if (self !== 'this' || relation === undefined || extra !== undefined) throw fail()
  const [argument, ...rest] = node.arguments
  if (rest.length > 0) throw fail()

  if (verb === 'permits' && method === undefined && isChain(argument, 'ctx')) {
    scope.onRelation(node, relation)
    return { kind: 'computed', relation }
  }
  if (verb === 'related' && method === 'includes' && isChain(argument, 'ctx', 'subject')) {
    scope.onRelation(node, relation)
    return { kind: 'computed', relation }
  }
  if (verb === 'related' && method === 'traverse' && argument && ts.isArrowFunction(argument)) {
    const computedRelation = traversedRelation(argument, scope)
    scope.onRelation(node, relation)
    scope.onTraverse(node, relation, computedRelation)
    return { kind: 'traverse', relation, computedRelation }
  }
  throw fail()
}

/** The relation a traverse lambda checks on each parent: `x.related.S.includes(ctx.subject)` or `x.permits.S(ctx)`. */
function traversedRelation(lambda: ts.ArrowFunction, scope: ExpressionScope): string {
  const fail = () => oplError(scope.sourceFile, lambda, `${SUPPORTED}; a traverse lambda checks exactly one relation`)
  const [parameter, ...others] = lambda.parameters
  if (!parameter || others.length > 0 || !ts.isIdentifier(parameter.name)) throw fail()
  const body = lambda.body
  if (!ts.isCallExpression(body) || body.arguments.length !== 1) throw fail()
  const [self, verb, relation, method, extra] = accessChain(body.expression) ?? []
  if (self !== parameter.name.text || relation === undefined || extra !== undefined) throw fail()
  const argument = body.arguments[0]
  if (verb === 'related' && method === 'includes' && isChain(argument, 'ctx', 'subject')) return relation
  if (verb === 'permits' && method === undefined && isChain(argument, 'ctx')) return relation
  throw fail()
}

/** Keto's simplifyExpression: merges nested groups that use the same operator as their parent. */
function simplify(root: SubjectSetRewrite): SubjectSetRewrite {
  const children: RewriteChild[] = []
  for (const child of root.children) {
    if (child.kind === 'rewrite' && child.operator === root.operator) children.push(...simplify(child).children)
    else children.push(child)
  }
  root.children = children
  return root
}
