export { deterministicBuffer, deterministicChunks, keyFor } from './deterministicBytes.js';
export { FaultSpecError } from './faultSpecError.js';
export { type Fault, type FaultMode, formatFault, withFaults } from './faults.js';
export { parseFault } from './parseFault.js';
export {
  type FaultOrigin,
  type FaultOriginOptions,
  type ResourceInfo,
  startFaultOrigin,
} from './startFaultOrigin.js';
export {
  NGINX_BINARY,
  type NginxLogEntry,
  type NginxOptions,
  type NginxServer,
  NginxStartError,
  startNginx,
} from './startNginx.js';
export type { OriginStats, RequestRecord } from './stats.js';
export { writeRandomFile } from './writeRandomFile.js';
