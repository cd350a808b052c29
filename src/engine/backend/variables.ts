// Creating tfjs variables from plain data without leaking the temporary tensor (a variable keeps its own reference).
import { tf, type Variable } from './tf';

export function variableFrom(data: Float32Array, shape: number[]): Variable {
  const value = tf.tensor(data, shape);
  const v = tf.variable(value, true);
  value.dispose();
  return v;
}
