// asl-validator 4.0.0 ships no type declarations; this is the part the tests use.
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<{ readonly message?: string }>;
    readonly errorsText: (separator?: string) => string;
  }
  function aslValidator(
    definition: unknown,
    options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
  ): ValidationResult;
  export default aslValidator;
}
