/**
 * CSV errors point at a place: `data.csv:3:2: …` when the file name is known, otherwise
 * `line 3, column 2 ('petal_width'): …`. Lines are 1-based file lines (the header is line 1);
 * columns are 1-based field numbers.
 */
import { LabError } from '../util/errors';

export interface CsvPlace {
  file?: string;
  line: number;
  column: number;
  /** The column's name from the header, when known. */
  name?: string;
}

export function csvPrefix(place: CsvPlace): string {
  const { file, line, column, name } = place;
  if (file !== undefined) return `${file}:${line}:${column}: `;
  return `line ${line}, column ${column}${name !== undefined ? ` (${quoteName(name)})` : ''}: `;
}

export function csvError(message: string, place: CsvPlace): LabError {
  const { file, line, column } = place;
  const where =
    file !== undefined && place.name !== undefined ? ` (column ${quoteName(place.name)})` : '';
  return new LabError('CSV', csvPrefix(place) + message + where, {
    ...(file !== undefined ? { file } : {}),
    line,
    column,
  });
}

/** A cell as it appears in a message: in double quotes, escaped, cut short when long. */
export function quoteCell(cell: string): string {
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell);
}

function quoteName(name: string): string {
  return `'${name}'`;
}
