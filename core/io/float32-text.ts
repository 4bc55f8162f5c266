/**
 * The shortest decimal text that reads back as exactly the same float32, so a JSON weights file
 * shows `0.1` rather than `0.10000000149011612` and still round-trips bit for bit.
 */
export function float32ToText(value: number): string {
  if (Object.is(value, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(Number(value.toPrecision(9))); // 9 significant digits always identify a float32
}
