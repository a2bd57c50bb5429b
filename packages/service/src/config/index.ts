export { ConfigError, type ConfigIssue } from './ConfigError.js';
export { type ConfigFile, configFileSchema } from './configFileSchema.js';
export { DEMO_PROVIDER_ID, DEMO_SECRET_VARIABLE } from './demoProfile.js';
export { OVERRIDE_VARIABLES } from './envOverrides.js';
export { DEFAULT_CONFIG_FILE, type LoadConfigOptions, loadConfig } from './loadConfig.js';
export type { ServiceConfig, WorkflowSettings } from './ServiceConfig.js';
