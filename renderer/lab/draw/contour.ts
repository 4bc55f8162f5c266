// The line where a grid of values crosses a level (a decision boundary at p = 0.5), by marching
// squares over the cells' centres.

export type Segment = [number, number, number, number];

/**
 * Segments (in cell units: x = column, y = row, centres at whole numbers) where the values of a
 * row-major nx×ny grid cross `level`.
 *
 * @example contour(values, 64, 64, 0.5).length
 */
export function contour(
  values: ArrayLike<number>,
  nx: number,
  ny: number,
  level: number,
): Segment[] {
  const out: Segment[] = [];
  const at = (r: number, c: number) => values[r * nx + c] - level;
  const cross = (a: number, b: number) => a / (a - b);
  for (let r = 0; r + 1 < ny; r++) {
    for (let c = 0; c + 1 < nx; c++) {
      const tl = at(r, c),
        tr = at(r, c + 1),
        br = at(r + 1, c + 1),
        bl = at(r + 1, c);
      const pts: [number, number][] = [];
      if (tl >= 0 !== tr >= 0) pts.push([c + cross(tl, tr), r]);
      if (tr >= 0 !== br >= 0) pts.push([c + 1, r + cross(tr, br)]);
      if (bl >= 0 !== br >= 0) pts.push([c + cross(bl, br), r + 1]);
      if (tl >= 0 !== bl >= 0) pts.push([c, r + cross(tl, bl)]);
      if (pts.length === 2) out.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
      else if (pts.length === 4) {
        out.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
        out.push([pts[2][0], pts[2][1], pts[3][0], pts[3][1]]);
      }
    }
  }
  return out;
}
