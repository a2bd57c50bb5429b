/** One JSON line of the non-terminal stderr stream: `{"type": ..., ...fields}`. */
export function jsonLine(type: string, fields: object): string {
  return `${JSON.stringify({ type, ...fields })}\n`;
}
