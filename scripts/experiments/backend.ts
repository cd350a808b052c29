// Starts a tfjs backend in Node for the experiment scripts: 'cpu' (plain JS) or 'wasm' (tfjs's WebAssembly build, SIMD).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend } from '../../src/engine/backend/init';
import { tf } from '../../src/engine/backend/tf';

export type NodeBackend = 'cpu' | 'wasm';

export async function initNodeBackend(name: NodeBackend): Promise<string> {
  if (name === 'cpu') {
    await initBackend('cpu');
    return tf.getBackend();
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the backend reads its .wasm files from this folder (no bundler asset URLs here).
  const dir = resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/';
  wasm.setWasmPaths(dir.startsWith('/') ? dir : pathToFileURL(dir).href);
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to start in Node.');
  return tf.getBackend();
}
