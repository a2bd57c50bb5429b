/** A field name is a token (RFC 9110 §5.1). */
export const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A field value: visible ASCII, obs-text, space and tab (RFC 9110 §5.5); never CR, LF or NUL,
 * which would split a message.
 */
export const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
