export { type RunCliOptions, runCli } from './cli/runCli.js';
export { BatchRunnerError, type BatchRunnerErrorCode } from './errors.js';
export { ExitCode, type ExitCodeValue } from './exitCodes.js';
export { JsonLogger } from './log/JsonLogger.js';
export { classifyFailure, type FailureClass } from './run/classifyFailure.js';
export { type RunBatchJobOptions, type RunSummary, redactUrl, runBatchJob } from './run/runBatchJob.js';
export { type ParsedCommand, parseSettings } from './settings/parseSettings.js';
export type { Settings } from './settings/Settings.js';
export { usage } from './settings/usage.js';
