export * from './domain/index.js';
export * from './ports/index.js';
