// The local Keto stand-in: Keto's read/write HTTP APIs evaluating the project's OPL file.
export { startKeto, type KetoOptions, type RunningKeto } from './keto-server'
export { loadNamespaces } from './opl-parser'
export { OplError } from './opl-source'
export type { Namespace, Namespaces, Relation, RelationType, RewriteChild, SubjectSetRewrite } from './opl-ast'
export type { RelationQuery, RelationTuple, SubjectSet } from './relation-tuple'
