/** Status of a redirect fault that names none. */
export const DEFAULT_REDIRECT_STATUS = 302;
