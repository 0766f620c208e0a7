import ts from 'typescript'
import type { Namespace, Namespaces, Relation, RelationType } from './opl-ast'
import { parsePermitBody, type ExpressionScope } from './opl-expression'
import { nameText, OplError, oplError } from './opl-source'
import { createTypeChecks, type TypeChecks } from './opl-typecheck'

interface ClassScope {
  sourceFile: ts.SourceFile
  checks: TypeChecks
}

/**
 * Parses an OPL file into Keto's namespace model; throws an OplError naming file, line
 * and construct for anything Keto would not accept.
 * @example loadNamespaces(readFileSync('ory/keto/namespaces.keto.ts', 'utf8')).get('Ticket')
 */
export function loadNamespaces(oplSource: string, fileName = 'namespaces.keto.ts'): Namespaces {
  assertSyntax(oplSource, fileName)
  const sourceFile = ts.createSourceFile(fileName, oplSource, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const scope: ClassScope = { sourceFile, checks: createTypeChecks(sourceFile) }
  const namespaces = new Map<string, Namespace>()
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) continue
    if (!ts.isClassDeclaration(statement)) throw oplError(sourceFile, statement, 'unsupported top-level statement')
    const namespace = parseClass(statement, scope)
    namespaces.set(namespace.name, namespace)
  }
  scope.checks.run(namespaces)
  return namespaces
}

function assertSyntax(source: string, fileName: string): void {
  const { diagnostics = [] } = ts.transpileModule(source, { fileName, reportDiagnostics: true })
  const first = diagnostics[0]
  if (!first) return
  const position = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined
  const where = position ? `${fileName}:${position.line + 1}:${position.character + 1}` : fileName
  throw new OplError(`${where}: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`)
}

function parseClass(node: ts.ClassDeclaration, scope: ClassScope): Namespace {
  const { sourceFile } = scope
  const implementsNamespace = node.heritageClauses?.some(
    (clause) =>
      clause.token === ts.SyntaxKind.ImplementsKeyword &&
      clause.types.some((type) => ts.isIdentifier(type.expression) && type.expression.text === 'Namespace'),
  )
  if (!node.name || !implementsNamespace) throw oplError(sourceFile, node, 'expected `class X implements Namespace`')
  const namespace: Namespace = { name: node.name.text, relations: [] }
  for (const member of node.members) {
    if (!ts.isPropertyDeclaration(member)) throw oplError(sourceFile, member, "expected 'related: {...}' or 'permits = {...}'")
    const { type, initializer } = member
    const memberName = nameText(member.name)
    if (memberName === 'related' && type && ts.isTypeLiteralNode(type)) {
      for (const entry of type.members) namespace.relations.push(parseRelated(entry, scope))
    } else if (memberName === 'permits' && initializer && ts.isObjectLiteralExpression(initializer)) {
      for (const entry of initializer.properties) namespace.relations.push(parsePermit(entry, namespace.name, scope))
    } else {
      throw oplError(sourceFile, member, "expected 'related: {...}' or 'permits = {...}'")
    }
  }
  return namespace
}

function parseRelated(entry: ts.TypeElement, scope: ClassScope): Relation {
  const name = ts.isPropertySignature(entry) ? nameText(entry.name) : undefined
  const type = ts.isPropertySignature(entry) ? entry.type : undefined
  if (name === undefined || !type) throw oplError(scope.sourceFile, entry, 'expected `relation: Type[]`')
  return { name, types: elementTypes(type, scope).map((element) => relationType(element, scope)) }
}

function elementTypes(type: ts.TypeNode, scope: ClassScope): ts.TypeNode[] {
  if (ts.isArrayTypeNode(type)) return unionMembers(type.elementType)
  const [argument, ...rest] = ts.isTypeReferenceNode(type) ? (type.typeArguments ?? []) : []
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'Array' && argument && rest.length === 0)
    return unionMembers(argument)
  throw oplError(scope.sourceFile, type, 'expected an array type such as `(User | SubjectSet<Group, "members">)[]`')
}

function unionMembers(type: ts.TypeNode): ts.TypeNode[] {
  if (ts.isParenthesizedTypeNode(type)) return unionMembers(type.type)
  if (ts.isUnionTypeNode(type)) return [...type.types]
  return [type]
}

function relationType(type: ts.TypeNode, scope: ClassScope): RelationType {
  const name = ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName.text : undefined
  if (name === undefined) throw oplError(scope.sourceFile, type, 'expected a namespace or SubjectSet<Namespace, "relation">')
  if (name !== 'SubjectSet') {
    scope.checks.namespaceExists(type, name)
    return { namespace: name }
  }
  const [target, relation] = (type as ts.TypeReferenceNode).typeArguments ?? []
  const namespace = target && ts.isTypeReferenceNode(target) && ts.isIdentifier(target.typeName) ? target.typeName.text : undefined
  const relationName = relation && ts.isLiteralTypeNode(relation) && ts.isStringLiteral(relation.literal) ? relation.literal.text : undefined
  if (namespace === undefined || relationName === undefined)
    throw oplError(scope.sourceFile, type, 'expected SubjectSet<Namespace, "relation">')
  scope.checks.hasRelation(type, namespace, relationName)
  return { namespace, relation: relationName }
}

function parsePermit(entry: ts.ObjectLiteralElementLike, namespace: string, scope: ClassScope): Relation {
  const { sourceFile, checks } = scope
  const name = ts.isPropertyAssignment(entry) ? nameText(entry.name) : undefined
  const lambda = ts.isPropertyAssignment(entry) ? entry.initializer : undefined
  if (name === undefined || !lambda || !ts.isArrowFunction(lambda))
    throw oplError(sourceFile, entry, 'expected `permit: (ctx: Context): boolean => expression`')
  const [parameter, ...others] = lambda.parameters
  if (!parameter || others.length > 0 || nameText(parameter.name) !== 'ctx')
    throw oplError(sourceFile, lambda, 'a permit takes exactly one parameter named `ctx`')
  if (ts.isBlock(lambda.body)) throw oplError(sourceFile, lambda.body, 'a permit body must be an expression, not a block')
  const expressionScope: ExpressionScope = {
    sourceFile,
    onRelation: (node, relation) => checks.hasRelation(node, namespace, relation),
    onTraverse: (node, relation, computed) => checks.allTypesHaveRelation(node, namespace, relation, computed),
  }
  return { name, types: [], rewrite: parsePermitBody(lambda.body, expressionScope) }
}
