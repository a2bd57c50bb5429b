export * from './adapters/local/index.js';
export * from './config/index.js';
export * from './domain/index.js';
export * from './handlers/index.js';
export * from './http/index.js';
export * from './ports/index.js';
export * from './runtime/index.js';
export * from './workflow/index.js';
