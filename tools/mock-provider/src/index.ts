export {
  type CallbackStyle,
  type MockFile,
  type MockProvider,
  type MockProviderOptions,
  startMockProvider,
} from './startMockProvider.js';
