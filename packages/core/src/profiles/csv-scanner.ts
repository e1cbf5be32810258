import { InvalidInputError } from '../errors.js';

/** Default for the longest record, in characters: far above any real row, far below a body. */
export const DEFAULT_MAX_RECORD_LENGTH = 1 << 20;

/** A record as the scanner hands it over: its fields and the physical line it starts on. */
export interface ScannedRecord {
  line: number;
  fields: string[];
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const enum State {
  /** At the start of a field. */
  FieldStart,
  /** Inside an unquoted field. */
  Unquoted,
  /** Inside a quoted field. */
  Quoted,
  /** Just after a quote inside a quoted field: a doubled quote or the closing one. */
  QuoteInQuoted,
}

/**
 * A CSV tokeniser fed in chunks: RFC 4180 quoting (delimiters, doubled quotes and line breaks
 * inside quotes), and CRLF, LF or CR line ends, each counted as one line wherever it is, so line
 * numbers are those an editor shows. It holds only the record being read, never the input: a
 * blank line (no field, fields of spaces only, or delimiters only, as Excel writes below its data)
 * is counted and dropped without building a record,
 * and a record longer than `maxRecordLength` characters is refused as soon as it gets that long.
 *
 * Errors name the line where the failing record starts: a quote inside an unquoted field, text
 * after a closing quote, a quoted field never closed.
 */
export class CsvScanner {
  private state = State.FieldStart;
  private fields: string[] = [];
  private field = '';
  /** Characters of the current record so far (its fields and the field being read). */
  private recordLength = 0;
  private line: number;
  private recordLine: number;
  /** The previous character was a CR: a LF now belongs to it (outside quotes: and ends nothing). */
  private afterCr = false;
  /** The CR that set afterCr ended a record (outside quotes) rather than sat in a quoted field. */
  private crEndedRecord = false;

  constructor(
    private readonly delimiter: number,
    private readonly onRecord: (record: ScannedRecord) => void,
    firstLine = 1,
    private readonly maxRecordLength = DEFAULT_MAX_RECORD_LENGTH,
  ) {
    this.line = firstLine;
    this.recordLine = firstLine;
  }

  /** Reads the next chunk of text; records completed in it are handed over before this returns. */
  push(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (chunk.charCodeAt(0) === LF) {
        i = 1;
        if (!this.crEndedRecord) this.field += '\n';
      }
    }
    let segment = i;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if ((c === LF || c === CR) && this.fields.length === 0) {
            // A blank line: counted, nothing built.
            i = this.endLine(chunk, i);
            continue;
          }
          if (c === QUOTE) {
            this.state = State.Quoted;
            segment = i + 1;
            break;
          }
          // The character starts an unquoted field: read it again in that state.
          this.state = State.Unquoted;
          segment = i;
          continue;
        case State.Unquoted:
          if (c === this.delimiter) {
            this.endField(chunk, segment, i);
            this.state = State.FieldStart;
          } else if (c === LF || c === CR) {
            this.endField(chunk, segment, i);
            i = this.endLine(chunk, i);
            continue;
          } else if (c === QUOTE) {
            throw this.error('a quote (") inside an unquoted field; quote the whole field and double inner quotes');
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.field += chunk.slice(segment, i);
            this.state = State.QuoteInQuoted;
          } else if (c === LF || c === CR) {
            // A line break inside the field: kept as text, counted as a line.
            const crlf = c === CR && chunk.charCodeAt(i + 1) === LF;
            this.line++;
            if (c === CR && i + 1 === n) {
              this.field += chunk.slice(segment, i + 1);
              this.afterCr = true;
              this.crEndedRecord = false;
              this.checkLength(0);
              return;
            }
            if (crlf) i++;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.state = State.Quoted;
            segment = i;
          } else if (c === this.delimiter) {
            this.endField(chunk, i, i);
            this.state = State.FieldStart;
          } else if (c === LF || c === CR) {
            this.endField(chunk, i, i);
            i = this.endLine(chunk, i);
            continue;
          } else {
            throw this.error('unexpected text after the closing quote of a field');
          }
          break;
      }
      i++;
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) {
      this.field += chunk.slice(segment, n);
      this.checkLength(0);
    }
  }

  /**
   * Ends the input: hands over the last record if the text does not end with a line break.
   *
   * @throws {InvalidInputError} when a quoted field is still open
   */
  end(): void {
    this.afterCr = false;
    if (this.state === State.Quoted) throw this.error('a quoted field is never closed (missing closing ")');
    if (this.state === State.FieldStart && this.fields.length === 0) return;
    this.endField('', 0, 0);
    this.endRecord();
  }

  /** The line the next character is on. */
  get currentLine(): number {
    return this.line;
  }

  private endField(chunk: string, from: number, to: number): void {
    const text = from < to ? this.field + chunk.slice(from, to) : this.field;
    this.field = '';
    this.checkLength(text.length);
    this.recordLength += text.length;
    this.fields.push(text);
  }

  /** Ends the record at the line break at `i`; returns where reading goes on. */
  private endLine(chunk: string, i: number): number {
    if (this.fields.length > 0 || this.state !== State.FieldStart) this.endRecord();
    this.line++;
    let next = i + 1;
    if (chunk.charCodeAt(i) === CR) {
      if (next < chunk.length) {
        if (chunk.charCodeAt(next) === LF) next++;
      } else {
        this.afterCr = true;
        this.crEndedRecord = true;
      }
    }
    this.recordLine = this.line;
    return next;
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    this.recordLength = 0;
    this.state = State.FieldStart;
    // A blank line, or a row of empty fields only (Excel's trailing `;;;;;;`): dropped as blank.
    if (fields.every((field) => field.trim() === '')) return;
    this.onRecord({ line: this.recordLine, fields });
  }

  private checkLength(extra: number): void {
    if (this.recordLength + this.field.length + extra > this.maxRecordLength) {
      throw this.error(`record longer than ${this.maxRecordLength} characters (a quote may be missing)`);
    }
  }

  private error(reason: string): InvalidInputError {
    return new InvalidInputError([{ line: this.recordLine, unit: 'line', reason }]);
  }
}
