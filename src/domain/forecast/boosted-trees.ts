/**
 * Gradient-boosted regression trees for a Poisson target with a log link, added on top of a
 * starting log-mean per row (the pooled regression's): the M5 winners' lesson is that trees over
 * lags, levels and calendar find the interactions a linear predictor cannot (a weekday share that
 * matters only for fast sellers, a promotion lift that depends on intermittency).
 *
 * Histogram-based (as LightGBM): each feature is cut into at most `bins` quantile bins once, then
 * every split is searched over bin boundaries, so one level of one tree costs one pass over the
 * rows. Leaf values are Newton steps, clipped (LightGBM's `max_delta_step` for Poisson, which
 * otherwise blows up on leaves of near-zero means) and shrunk by the learning rate.
 */
export interface BoostSpec {
  trees: number;
  depth: number;
  learningRate: number;
  /** A child needs at least this many rows. */
  minRows: number;
  /** L2 penalty on leaf values (in units of the Poisson hessian, Σ μ). */
  lambda: number;
  /** At most this many bins per feature (≤ 256). */
  bins: number;
  /** Largest change of the log-mean one leaf may make, before shrinkage. */
  maxDelta: number;
}

export const DEFAULT_BOOST: BoostSpec = {
  trees: 60,
  depth: 3,
  learningRate: 0.1,
  minRows: 200,
  lambda: 10,
  bins: 32,
  maxDelta: 0.7,
};

/**
 * Complete binary trees of one depth, one after the other: for tree t, internal node i
 * (heap order, root 0) sends a row left when `x[feature] <= threshold`; leaves hold the change
 * of the log-mean. A node that found no split has threshold +∞ (every row goes left).
 */
export interface TreeEnsemble {
  depth: number;
  feature: Int32Array;
  threshold: Float64Array;
  leaf: Float64Array;
}

/** The ensemble's change of the log-mean for one row of raw features. */
export function treesOutput(trees: TreeEnsemble, row: ArrayLike<number>): number {
  const inner = 2 ** trees.depth - 1;
  const leaves = inner + 1;
  const count = trees.leaf.length / leaves;
  let sum = 0;
  for (let t = 0; t < count; t++) {
    let node = 0;
    for (let d = 0; d < trees.depth; d++) {
      const k = t * inner + node;
      const goLeft = (row[trees.feature[k] as number] as number) <= (trees.threshold[k] as number);
      node = 2 * node + (goLeft ? 1 : 2);
    }
    sum += trees.leaf[t * leaves + node - inner] as number;
  }
  return sum;
}

/** Each feature's cut points: upper edges of quantile bins over a sample of its values. */
function cutPoints(x: Float64Array, n: number, p: number, bins: number): Float64Array[] {
  const step = Math.max(1, Math.floor(n / 20_000));
  const cuts: Float64Array[] = [];
  for (let a = 0; a < p; a++) {
    const sample: number[] = [];
    for (let r = 0; r < n; r += step) sample.push(x[r * p + a] as number);
    sample.sort((u, v) => u - v);
    const edges: number[] = [];
    for (let b = 1; b < bins; b++) {
      const v = sample[Math.floor((b * sample.length) / bins)] as number;
      // A value repeated over several quantiles (zeros, indicators) makes one bin, not several.
      if (edges.length === 0 || v > (edges.at(-1) as number)) edges.push(v);
    }
    // The last edge is the largest value: nothing may fall beyond the last bin.
    if (edges.length > 0 && (edges.at(-1) as number) >= (sample.at(-1) as number)) edges.pop();
    cuts.push(Float64Array.from(edges));
  }
  return cuts;
}

/** Bin of v: the first edge ≥ v, or the bin past the last edge. */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Fits trees so that `start + trees(x)` maximises the Poisson likelihood of `y`. `x` holds n rows
 * of p raw features, row after row; `start` the starting log-mean of each row (not modified).
 */
export function fitBoostedTrees(
  x: Float64Array,
  y: Float64Array,
  start: Float64Array,
  n: number,
  p: number,
  spec: BoostSpec = DEFAULT_BOOST,
): TreeEnsemble {
  const cuts = cutPoints(x, n, p, spec.bins);
  const bins = new Uint8Array(n * p);
  for (let r = 0; r < n; r++)
    for (let a = 0; a < p; a++)
      bins[r * p + a] = binOf(cuts[a] as Float64Array, x[r * p + a] as number);
  const inner = 2 ** spec.depth - 1;
  const leaves = inner + 1;
  const trees: TreeEnsemble = {
    depth: spec.depth,
    feature: new Int32Array(spec.trees * inner),
    threshold: new Float64Array(spec.trees * inner).fill(Number.POSITIVE_INFINITY),
    leaf: new Float64Array(spec.trees * leaves),
  };
  const eta = Float64Array.from(start.subarray(0, n));
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const node = new Int32Array(n);
  for (let t = 0; t < spec.trees; t++) {
    for (let r = 0; r < n; r++) {
      const mu = Math.exp(Math.min(eta[r] as number, 30));
      g[r] = mu - (y[r] as number);
      h[r] = mu;
    }
    node.fill(0);
    for (let d = 0; d < spec.depth; d++)
      growLevel(trees, t, d, { bins, cuts, g, h, node, n, p, spec });
    const values = leafValues(node, g, h, n, inner, leaves, spec);
    trees.leaf.set(values, t * leaves);
    for (let r = 0; r < n; r++)
      eta[r] = (eta[r] as number) + (values[(node[r] as number) - inner] as number);
  }
  return trees;
}

interface LevelData {
  bins: Uint8Array;
  cuts: Float64Array[];
  g: Float64Array;
  h: Float64Array;
  /** Each row's node in heap order; advanced one level by growLevel. */
  node: Int32Array;
  n: number;
  p: number;
  spec: BoostSpec;
}

/** Splits every node of level d of tree t on its best bin boundary, and moves the rows down. */
function growLevel(trees: TreeEnsemble, t: number, d: number, data: LevelData): void {
  const { bins, cuts, g, h, node, n, p, spec } = data;
  const first = 2 ** d - 1;
  const width = 2 ** d;
  const B = spec.bins;
  // Sums of gradient, hessian and rows per (node of this level, feature, bin).
  const hg = new Float64Array(width * p * B);
  const hh = new Float64Array(width * p * B);
  const hc = new Float64Array(width * p * B);
  for (let r = 0; r < n; r++) {
    const base = ((node[r] as number) - first) * p * B;
    const gr = g[r] as number;
    const hr = h[r] as number;
    const row = r * p;
    for (let a = 0; a < p; a++) {
      const k = base + a * B + (bins[row + a] as number);
      hg[k] = (hg[k] as number) + gr;
      hh[k] = (hh[k] as number) + hr;
      hc[k] = (hc[k] as number) + 1;
    }
  }
  const inner = 2 ** spec.depth - 1;
  const splitBin = new Int32Array(width).fill(-1);
  const splitFeature = new Int32Array(width);
  for (let j = 0; j < width; j++) {
    const best = bestSplit(hg, hh, hc, j * p * B, p, cuts, spec);
    if (!best) continue;
    splitBin[j] = best.bin;
    splitFeature[j] = best.feature;
    const k = t * inner + first + j;
    trees.feature[k] = best.feature;
    trees.threshold[k] = (cuts[best.feature] as Float64Array)[best.bin] as number;
  }
  for (let r = 0; r < n; r++) {
    const j = (node[r] as number) - first;
    const bin = splitBin[j] as number;
    const left = bin < 0 || (bins[r * p + (splitFeature[j] as number)] as number) <= bin;
    node[r] = 2 * (node[r] as number) + (left ? 1 : 2);
  }
}

/** The feature and bin whose split gains the most on one node's histograms; null: none helps. */
function bestSplit(
  hg: Float64Array,
  hh: Float64Array,
  hc: Float64Array,
  offset: number,
  p: number,
  cuts: Float64Array[],
  spec: BoostSpec,
): { feature: number; bin: number } | null {
  const B = spec.bins;
  const score = (G: number, H: number) => (G * G) / (H + spec.lambda);
  let totalG = 0;
  let totalH = 0;
  let totalC = 0;
  for (let b = 0; b < B; b++) {
    totalG += hg[offset + b] as number;
    totalH += hh[offset + b] as number;
    totalC += hc[offset + b] as number;
  }
  const parent = score(totalG, totalH);
  let best: { feature: number; bin: number } | null = null;
  let bestGain = 1e-9 * Math.abs(parent) + 1e-12;
  for (let a = 0; a < p; a++) {
    const edges = (cuts[a] as Float64Array).length;
    let G = 0;
    let H = 0;
    let C = 0;
    for (let b = 0; b < edges; b++) {
      const k = offset + a * B + b;
      G += hg[k] as number;
      H += hh[k] as number;
      C += hc[k] as number;
      if (C < spec.minRows) continue;
      if (totalC - C < spec.minRows) break;
      const gain = score(G, H) + score(totalG - G, totalH - H) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature: a, bin: b };
      }
    }
  }
  return best;
}

/** Each leaf's clipped, shrunk Newton step from the rows that reached it. */
function leafValues(
  node: Int32Array,
  g: Float64Array,
  h: Float64Array,
  n: number,
  inner: number,
  leaves: number,
  spec: BoostSpec,
): Float64Array {
  const G = new Float64Array(leaves);
  const H = new Float64Array(leaves);
  for (let r = 0; r < n; r++) {
    const l = (node[r] as number) - inner;
    G[l] = (G[l] as number) + (g[r] as number);
    H[l] = (H[l] as number) + (h[r] as number);
  }
  const values = new Float64Array(leaves);
  for (let l = 0; l < leaves; l++) {
    const step = -(G[l] as number) / ((H[l] as number) + spec.lambda);
    values[l] = spec.learningRate * Math.max(-spec.maxDelta, Math.min(spec.maxDelta, step));
  }
  return values;
}
