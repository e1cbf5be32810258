/** Options of {@link parseEnergy}. */
export interface ParseEnergyOptions {
  /**
   * Also accept a comma as the decimal separator (`12,5`), as European spreadsheets write
   * numbers in semicolon-separated exports (default false). A dot is accepted either way.
   */
  decimalComma?: boolean;
}

const MAX_SHOWN = 40;

/**
 * Parses one energy cell. Surrounding whitespace is ignored; the number may have a sign, a
 * fraction and an exponent (`12`, `12.5`, `.5`, `1e2`). Anything else, including `Infinity`,
 * `NaN`, hexadecimal and thousands separators, is not a number.
 *
 * @returns the value, or the reason it is unusable (`empty energy`, `not a number: "abc"`,
 *   `negative energy: -3`, `out of range: 1e999`) so that callers can collect every problem instead of stopping.
 */
export function parseEnergy(cell: string, options: ParseEnergyOptions = {}): number | string {
  const text = cell.trim();
  if (text === '') return 'empty energy';
  const normalised = decimalForm(text, options.decimalComma === true);
  if (normalised === undefined) return notANumber(text);
  const value = Number(normalised);
  if (!Number.isFinite(value)) return `out of range: ${text}`;
  if (value < 0) return `negative energy: ${text}`;
  return value + 0;
}

/** Describes a cell that is not a number, quoting (and shortening) what was found. */
export function notANumber(shown: string): string {
  const cut = shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}…` : shown;
  return `not a number: ${JSON.stringify(cut)}`;
}

/**
 * Checks `[+-]digits[.digits][e[+-]digits]` (at least one digit in the mantissa) with a simple
 * scan, and returns the text with a decimal comma turned into a dot, or undefined when it is not
 * a plain decimal number.
 */
function decimalForm(text: string, decimalComma: boolean): string | undefined {
  let i = 0;
  const n = text.length;
  let c = text.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  let digits = 0;
  while (i < n && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  let commaAt = -1;
  c = text.charCodeAt(i);
  if (c === 0x2e || (decimalComma && c === 0x2c)) {
    if (c === 0x2c) commaAt = i;
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  c = text.charCodeAt(i);
  if (c === 0x65 || c === 0x45) {
    i++;
    c = text.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === start) return undefined;
  }
  if (i !== n) return undefined;
  return commaAt < 0 ? text : `${text.slice(0, commaAt)}.${text.slice(commaAt + 1)}`;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
