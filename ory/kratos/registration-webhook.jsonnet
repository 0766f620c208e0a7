// Body of the after-registration web hook sent to the auth service.
function(ctx) {
  identityId: ctx.identity.id,
  email: ctx.identity.traits.email,
  flowId: ctx.flow.id,
}
