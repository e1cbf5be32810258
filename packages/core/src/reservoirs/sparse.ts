import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { normal, type RandomStream } from '../random/seeded.js';

/**
 * A sparse square matrix in compressed sparse row form: row `i` holds the weights into unit `i`
 * from units `columns[start[i] .. start[i+1])`.
 */
export interface SparseMatrix {
  readonly size: number;
  readonly start: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/** Builds a sparse matrix from a dense one, keeping the non-zero entries. */
export function toSparse(dense: Float64Array, size: number): SparseMatrix {
  const start = new Int32Array(size + 1);
  const columns: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const v = dense[i * size + j]!;
      if (v !== 0) {
        columns.push(j);
        values.push(v);
      }
    }
    start[i + 1] = columns.length;
  }
  return { size, start, columns: Int32Array.from(columns), values: Float64Array.from(values) };
}

/** A dense random matrix with about `density` of its entries drawn from N(0, 1), the rest 0. */
export function randomSparseDense(size: number, density: number, stream: RandomStream): Float64Array {
  const dense = new Float64Array(size * size);
  for (let i = 0; i < dense.length; i++) if (stream.next() < density) dense[i] = normal(stream);
  return dense;
}

/** Largest eigenvalue modulus of a dense square matrix. */
function spectralRadius(dense: Float64Array, size: number): number {
  const rows: number[][] = [];
  for (let i = 0; i < size; i++) rows.push(Array.from(dense.subarray(i * size, (i + 1) * size)));
  const decomposition = new EigenvalueDecomposition(rows);
  let radius = 0;
  decomposition.realEigenvalues.forEach((re, i) => {
    radius = Math.max(radius, Math.hypot(re, decomposition.imaginaryEigenvalues[i]!));
  });
  return radius;
}

/** Scales a dense matrix in place so that its spectral radius becomes `target` (when it is not 0). */
export function scaleToSpectralRadius(dense: Float64Array, size: number, target: number): void {
  const radius = spectralRadius(dense, size);
  if (radius === 0) return;
  const factor = target / radius;
  for (let i = 0; i < dense.length; i++) dense[i]! *= factor;
}

/**
 * A rows × cols matrix (row-major) with orthogonal columns of norm `scale`, from the QR
 * decomposition of a Gaussian matrix: a random rotation of the input into the reservoir, which
 * keeps the distances between inputs instead of stretching some directions more than others.
 */
export function orthogonalColumns(rows: number, cols: number, stream: RandomStream, scale: number): Float64Array {
  const gaussian = Matrix.zeros(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) gaussian.set(r, c, normal(stream));
  const q = new QrDecomposition(gaussian).orthogonalMatrix;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = q.get(r, c) * scale;
  return out;
}
