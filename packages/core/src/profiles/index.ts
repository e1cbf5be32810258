/** Profile readers: CSV and JSON text in, validated and normalised {@link ProfileSet} out. */
export { parseProfiles } from './parse-profiles.js';
export { parseProfilesCsv } from './parse-csv.js';
export { CsvProfileReader, type CsvReaderOptions } from './csv-reader.js';
export { unstorableCharacter } from './build-profile-set.js';
export { parseProfilesJson, parseProfilesJsonText } from './parse-json.js';
export { ENERGIES, ENERGY_COLUMNS, ID_COLUMN } from './types.js';
export type { Energy, ParseOptions, ProfileSet, SkippedRow } from './types.js';
