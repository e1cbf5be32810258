/** One JSON document, indented for people when they look at a terminal, compact otherwise. */
export function formatJson(value: unknown, pretty: boolean): string {
  return `${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`;
}
