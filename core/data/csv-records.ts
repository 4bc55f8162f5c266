/**
 * Splits CSV text into records (RFC 4180, leniently): fields separated by commas, records by
 * LF, CRLF or CR; a field in double quotes may hold commas, line breaks and doubled quotes ("").
 * Each field remembers the file line it starts on, for error messages.
 */
import { csvError } from './csv-error';

export interface CsvRecord {
  /** The 1-based file line the record starts on. */
  line: number;
  fields: string[];
  /** The 1-based file line each field starts on (differs from `line` after a quoted line break). */
  fieldLines: number[];
  quoted: boolean[];
}

export function splitRecords(text: string, file?: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark is not part of the header
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [], fieldLines: [], quoted: [] };
    for (;;) {
      const column = record.fields.length + 1;
      const fieldLine = line;
      let value: string;
      let quoted = false;
      if (text[i] === '"') {
        quoted = true;
        i++;
        const parts: string[] = [];
        let start = i;
        for (;;) {
          if (i >= n) {
            throw csvError('quoted field is never closed (a " is missing)', {
              file,
              line: fieldLine,
              column,
            });
          }
          const ch = text[i];
          if (ch === '"') {
            parts.push(text.slice(start, i));
            if (text[i + 1] === '"') {
              parts.push('"');
              i += 2;
              start = i;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          i++;
        }
        value = parts.join('');
        if (i < n && !isBreak(text[i])) {
          throw csvError(`unexpected ${JSON.stringify(text[i])} after a closing quote`, {
            file,
            line,
            column,
          });
        }
      } else {
        const start = i;
        while (i < n && !isBreak(text[i])) {
          if (text[i] === '"') {
            throw csvError(
              'a quote inside an unquoted field (quote the whole field and double inner quotes)',
              { file, line, column },
            );
          }
          i++;
        }
        value = text.slice(start, i);
      }
      record.fields.push(value);
      record.fieldLines.push(fieldLine);
      record.quoted.push(quoted);
      if (i >= n) break;
      if (text[i] === ',') {
        i++;
        continue;
      }
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      break;
    }
    records.push(record);
  }
  return records;
}

/** A line with nothing on it but spaces. */
export function isBlank(record: CsvRecord): boolean {
  return record.fields.length === 1 && !record.quoted[0] && record.fields[0].trim() === '';
}

function isBreak(ch: string): boolean {
  return ch === ',' || ch === '\n' || ch === '\r';
}
