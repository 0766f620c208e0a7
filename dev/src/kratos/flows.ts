import { randomUUID } from 'node:crypto'
import type { IdentitySchema } from './identity-schema'
import { texts, type UiText } from './messages'
import { csrfNode, inputNode, passwordNode, submitNode, type UiNode } from './nodes'

export type FlowKind = 'login' | 'registration'
export type FlowType = 'browser' | 'api'

/** A login or registration flow as the stand-in keeps it. */
export interface Flow {
  id: string
  kind: FlowKind
  type: FlowType
  issuedAt: Date
  expiresAt: Date
  requestUrl: string
  returnTo?: string
  csrfSecret?: string
  active?: 'password'
  state: 'choose_method' | 'passed_challenge'
  ui: { action: string; method: 'POST'; nodes: UiNode[]; messages?: UiText[] }
}

interface NewFlow {
  kind: FlowKind
  type: FlowType
  publicBaseUrl: string
  requestUrl: string
  returnTo?: string
  csrfSecret?: string
  csrfToken: string
  schema: IdentitySchema
  now: Date
  lifespanMs: number
}

// Kratos sorts nodes: csrf_token, then the identifier or the traits in schema order, then password; submit last.
function nodesFor(kind: FlowKind, csrfToken: string, schema: IdentitySchema): UiNode[] {
  if (kind === 'login') {
    return [
      csrfNode(csrfToken),
      inputNode('identifier', 'text', { value: '', required: true, label: schema.identifierLabel() }),
      passwordNode('current-password'),
      submitNode(texts.signInWithPassword()),
    ]
  }
  return [csrfNode(csrfToken), ...schema.traitNodes(), passwordNode('new-password'), submitNode(texts.signUp())]
}

/** Creates a flow with the form Kratos v25/v26 renders for the password method (registration style "unified"). */
export function createFlow(input: NewFlow): Flow {
  const id = randomUUID()
  return {
    id,
    kind: input.kind,
    type: input.type,
    issuedAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.lifespanMs),
    requestUrl: input.requestUrl,
    returnTo: input.returnTo,
    csrfSecret: input.csrfSecret,
    state: 'choose_method',
    ui: {
      action: `${input.publicBaseUrl}/self-service/${input.kind}?flow=${id}`,
      method: 'POST',
      nodes: nodesFor(input.kind, input.csrfToken, input.schema),
    },
  }
}

/** The flow's public JSON, field order as Kratos serialises it (empty ui.messages is left out, like Kratos). */
export function renderFlow(flow: Flow): Record<string, unknown> {
  const ui = { action: flow.ui.action, method: flow.ui.method, nodes: flow.ui.nodes, ...(flow.ui.messages?.length ? { messages: flow.ui.messages } : {}) }
  const head = {
    id: flow.id,
    ...(flow.kind === 'login' ? { organization_id: null } : {}),
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ui,
  }
  if (flow.kind === 'registration') return { ...head, organization_id: null, state: flow.state }
  return {
    ...head,
    created_at: flow.issuedAt.toISOString(),
    updated_at: flow.issuedAt.toISOString(),
    refresh: false,
    requested_aal: 'aal1',
    state: flow.state,
  }
}
