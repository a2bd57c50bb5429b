/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node 22+) inside every Task. On
 * Node 20 that throws a TypeError which a `Catch: States.ALL` would swallow silently, so the
 * engine adapter installs this before it runs anything.
 */

interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseWithResolvers = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

/** Installs `Promise.withResolvers` when the runtime lacks it; a no-op on Node 22+. */
export function ensurePromiseWithResolvers(): void {
  const ctor = Promise as PromiseWithResolvers;
  if (typeof ctor.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(): Resolvers<T> {
      let resolve: Resolvers<T>['resolve'] = () => undefined;
      let reject: Resolvers<T>['reject'] = () => undefined;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
