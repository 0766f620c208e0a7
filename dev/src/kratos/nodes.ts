import { texts, type UiText } from './messages'

/** One form field of a flow's UI, shaped like Kratos's `uiNode` with input attributes. */
export interface UiNode {
  type: 'input'
  group: 'default' | 'password'
  attributes: {
    name: string
    type: string
    value?: unknown
    required?: boolean
    autocomplete?: string
    disabled: boolean
    node_type: 'input'
  }
  messages: UiText[]
  meta: { label?: UiText }
}

interface InputOptions {
  group?: UiNode['group']
  value?: unknown
  required?: boolean
  autocomplete?: string
  label?: UiText
}

/** Builds an input node; key order and omitted empty fields match Kratos's JSON. */
export function inputNode(name: string, type: string, options: InputOptions = {}): UiNode {
  const attributes: Record<string, unknown> = { name, type }
  if (options.value !== undefined) attributes.value = options.value
  if (options.required) attributes.required = true
  if (options.autocomplete) attributes.autocomplete = options.autocomplete
  return {
    type: 'input',
    group: options.group ?? 'default',
    attributes: { ...attributes, disabled: false, node_type: 'input' } as UiNode['attributes'],
    messages: [],
    meta: options.label ? { label: options.label } : {},
  }
}

export const csrfNode = (token: string) => inputNode('csrf_token', 'hidden', { value: token, required: true })

export const passwordNode = (autocomplete: 'new-password' | 'current-password') =>
  inputNode('password', 'password', { group: 'password', required: true, autocomplete, label: texts.labelPassword() })

export const submitNode = (label: UiText) => inputNode('method', 'submit', { group: 'password', value: 'password', label })

/** Sets (or clears with undefined) a node's value, keeping Kratos's attribute order. */
export function setNodeValue(nodes: UiNode[], name: string, value: unknown): void {
  const node = nodes.find((n) => n.attributes.name === name)
  if (!node) return
  const { name: n, type, value: _old, ...rest } = node.attributes
  node.attributes = value === undefined ? { name: n, type, ...rest } : { name: n, type, value, ...rest }
}

/** Attaches a message to the named node, or to the whole form when no field is named (Kratos's AddMessage). */
export function addMessage(ui: { nodes: UiNode[]; messages?: UiText[] }, message: UiText, field?: string): void {
  if (!field) {
    ui.messages = [...(ui.messages ?? []), message]
    return
  }
  const node = ui.nodes.find((n) => n.attributes.name === field)
  if (node) node.messages.push(message)
  else ui.nodes.push({ ...inputNode(field, 'text'), messages: [message] })
}

/** Clears every message, as Kratos does before rendering a failed submission. */
export function resetMessages(ui: { nodes: UiNode[]; messages?: UiText[] }): void {
  delete ui.messages
  for (const node of ui.nodes) node.messages = []
}
