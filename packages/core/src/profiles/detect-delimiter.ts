/** A field delimiter the CSV reader understands. */
export type Delimiter = ',' | ';' | '\t';

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];

/**
 * Guesses the field delimiter of a CSV text from its header line (the first line that is not
 * blank): the candidate among comma, semicolon and tab that occurs most often outside double
 * quotes. Ties go to the earlier candidate in that order, and a header with none of them counts
 * as comma-separated, so a one-column file is reported as missing columns rather than guessed at.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = [0, 0, 0];
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (inQuotes) {
      continue;
    } else if (ch === 0x0a || ch === 0x0d) {
      if (lineHasContent) break;
    } else if (ch === 0x2c) {
      counts[0]!++;
      lineHasContent = true;
    } else if (ch === 0x3b) {
      counts[1]!++;
      lineHasContent = true;
    } else if (ch === 0x09) {
      counts[2]!++;
      lineHasContent = true;
    } else if (ch !== 0x20 && ch !== 0xfeff) {
      lineHasContent = true;
    }
  }
  let best = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c]! > counts[best]!) best = c;
  return CANDIDATES[best]!;
}
