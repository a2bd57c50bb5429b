export { checkResolvedAddress } from './checkResolvedAddress.js';
export { checkUrl } from './checkUrl.js';
export { type AddressClassification, classifyAddress } from './classifyAddress.js';
export { createConnectGuard } from './createConnectGuard.js';
export { formatIpAddress, type IpAddress, parseIpAddress, parseIpv4, parseIpv6 } from './ipAddress.js';
export { type HostResolver, type ResolvedAddress, resolveAndCheckUrl } from './resolveAndCheckUrl.js';
export type {
  AddressRange,
  ConnectGuard,
  ConnectTarget,
  EmbeddingForm,
  LoopbackException,
  UrlCheckResult,
  UrlPolicy,
  UrlRejection,
  UrlRejectionReason,
} from './types.js';
