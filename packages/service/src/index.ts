export * from './config/index.js';
export * from './domain/index.js';
export * from './http/index.js';
export * from './ports/index.js';
