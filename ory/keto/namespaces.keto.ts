// The permission model of the marketplace, in the Ory Permission Language.
// Subjects are Kratos identity ids (`subject_id`). A child object points at its
// parent with a subject set whose relation is empty, e.g. an Order's parent is
// `{namespace: "Ticket", object: <ticket id>, relation: ""}`; `traverse` only
// follows subject sets, so a plain `subject_id` parent would never be followed.
// Keto gives `&&` and `||` no precedence (it reads them left to right), so the
// operands of every `&&`/`||` are parenthesised.
// `import type` and `export` are for TypeScript and the linter only (an exported namespace counts
// as used); Keto's parser skips every token outside a `class` declaration.
import type { Namespace, Context, SubjectSet } from "@ory/keto-namespace-types"

export class User implements Namespace {}

export class Group implements Namespace {
  related: {
    members: User[]
  }
}

// Anyone may view a ticket, but OPL has no constant `true`: ticket reads are
// public and never checked, so there is no `view` permit here.
export class Ticket implements Namespace {
  related: {
    owners: (User | SubjectSet<Group, "members">)[]
  }

  permits = {
    edit: (ctx: Context): boolean => this.related.owners.includes(ctx.subject),
    // Owners may not buy their own ticket; everyone else may.
    order: (ctx: Context): boolean => !this.related.owners.includes(ctx.subject),
  }
}

export class Order implements Namespace {
  related: {
    owners: User[]
    parents: Ticket[]
  }

  permits = {
    // The buyer, and the seller (an owner of the ordered ticket).
    view: (ctx: Context): boolean =>
      (this.related.owners.includes(ctx.subject)) ||
      (this.related.parents.traverse((t) => t.related.owners.includes(ctx.subject))),
    edit: (ctx: Context): boolean => this.related.owners.includes(ctx.subject),
  }
}

export class Payment implements Namespace {
  related: {
    owners: User[]
    parents: Order[]
  }

  permits = {
    // The payer, and whoever may view the paid order.
    view: (ctx: Context): boolean =>
      (this.related.owners.includes(ctx.subject)) ||
      (this.related.parents.traverse((o) => o.permits.view(ctx))),
    edit: (ctx: Context): boolean => this.related.owners.includes(ctx.subject),
  }
}
