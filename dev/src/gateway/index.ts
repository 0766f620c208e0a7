export { createGateway, type GatewayOptions } from './gateway'
export { defaultLimits, gatewayLimits, type GatewayLimits } from './limits'
export { securityHeaders } from './security-headers'
