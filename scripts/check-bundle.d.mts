// Types of check-bundle.mjs, for its unit test.
export const INITIAL_JS_BUDGET: number;
export function pageChunks(htmlFile: string): { initial: string[]; lazy: string[] };
export function tfjsIn(chunk: string): string[];
export function checkBundle(
  htmlFile: string,
  budget?: number,
): { problems: string[]; initial: string[]; lazy: string[]; initialBytes: number; initialGzip: number; lazyBytes: number };
