// sentence-transformers' MultipleNegativesRankingLoss (in-batch negatives, optional hard negatives) and its symmetric variant.
import { tf, type Tensor } from '../backend/tf';

export type Similarity = 'cosine' | 'dot';

export interface RankingLossOptions {
  /** Multiplies the similarities before the softmax (sentence-transformers' `scale`, 20 by default). */
  scale?: number;
  /** MultipleNegativesSymmetricRankingLoss: average with the positive → anchor direction (in-batch anchors only). */
  symmetric?: boolean;
  /** Cosine (the default, `util.cos_sim`) or the plain dot product (`util.dot_score`). */
  similarity?: Similarity;
}

export const DEFAULT_RANKING_SCALE = 20;

/** Rows divided by their L2 norm, as torch.nn.functional.normalize (norm clamped at 1e-12). x [N, H] → [N, H]. */
export function l2Normalize(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)));
}

/** a [N, H], b [M, H] → similarities [N, M]. */
export function similarityMatrix(a: Tensor, b: Tensor, similarity: Similarity = 'cosine'): Tensor {
  return tf.tidy(() => (similarity === 'cosine' ? tf.matMul(l2Normalize(a), l2Normalize(b), false, true) : tf.matMul(a, b, false, true)));
}

/** Mean over rows of −log softmax(scores)[i, i]: cross-entropy with labels arange(N). scores [N, M ≥ N] → scalar. */
function diagonalCrossEntropy(scores: Tensor): Tensor {
  return tf.tidy(() => {
    const n = scores.shape[0] as number;
    const m = scores.shape[1] as number;
    const eye = tf.oneHot(tf.range(0, n, 1, 'int32'), m); // [N, M]
    const target = tf.sum(tf.mul(scores, eye), 1); // [N]
    return tf.mean(tf.sub(tf.logSumExp(scores, 1), target));
  });
}

/**
 * anchors [B, H], positives [B, H], negatives [B, H] or null → the loss (scalar). Each anchor's positive is its
 * label among all B positives (the other anchors' positives are its in-batch negatives) and, when given, all B hard
 * negatives as extra columns: cross-entropy over scale·sim(anchor, [positives; negatives]), as sentence-transformers.
 */
export function rankingLoss(anchors: Tensor, positives: Tensor, negatives: Tensor | null, options: RankingLossOptions = {}): Tensor {
  const scale = options.scale ?? DEFAULT_RANKING_SCALE;
  const B = anchors.shape[0] as number;
  if (positives.shape[0] !== B || (negatives && negatives.shape[0] !== B)) {
    throw new Error(`internal: ranking loss needs as many positives (${positives.shape[0]}) and negatives (${negatives?.shape[0]}) as anchors (${B}).`);
  }
  return tf.tidy(() => {
    const candidates = negatives ? tf.concat([positives, negatives], 0) : positives; // [B or 2B, H]
    const scores = tf.mul(similarityMatrix(anchors, candidates, options.similarity), scale); // [B, B or 2B]
    const forward = diagonalCrossEntropy(scores);
    if (!options.symmetric) return forward;
    const backward = diagonalCrossEntropy(tf.transpose(negatives ? tf.slice(scores, [0, 0], [B, B]) : scores)); // [B, B]
    return tf.div(tf.add(forward, backward), 2);
  });
}
