/** JSON.parse's error message in one form on every supported Node version, with the line and column of the fault. */

/**
 * The message of a JSON.parse error on `text`, as Node 22 and 24 word it: V8 there appends
 * "(line L column C)" to "… at position N", Node 20 does not, so it is added here. Other
 * messages ("Unexpected end of JSON input") pass unchanged.
 *
 * @example jsonErrorMessage('{"a": 1', err) // "Expected ',' or '}' after property value in JSON at position 7 (line 1 column 8)"
 */
export function jsonErrorMessage(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)$/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1])).split("\n");
  return `${message} (line ${before.length} column ${before[before.length - 1].length + 1})`;
}
