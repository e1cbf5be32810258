/**
 * A dense row-major matrix of `rows × cols` numbers in one typed array: the layout every
 * numerical routine of the core works on, so that 100,000 people are a single allocation.
 */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Makes a zero-filled matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return { data: new Float64Array(rows * cols), rows, cols };
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (same width). */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, cols: number): number {
  let sum = 0;
  const ai = i * cols;
  const bj = j * cols;
  for (let c = 0; c < cols; c++) {
    const diff = a[ai + c]! - b[bj + c]!;
    sum += diff * diff;
  }
  return sum;
}

/** Rows of `m` picked by `indices`, in that order. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = zeros(indices.length, m.cols);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r]! * m.cols;
    out.data.set(m.data.subarray(src, src + m.cols), r * m.cols);
  }
  return out;
}
