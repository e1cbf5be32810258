/** What every section needs besides its part of the result. */
export interface SectionContext {
  /** How an employee_id is shown: itself, or its pseudonym. */
  name: (id: string) => string;
  /** Whether names are pseudonyms (the report says so). */
  anonymised: boolean;
}

/** "1 person", "3 people". */
export function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

/** A share as a percentage with one decimal. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '–';
}
