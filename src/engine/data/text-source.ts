// Where dataset text comes from: a string, chunks (sync or async), a ReadableStream of strings, or a Blob/File.

export type TextSource = string | Iterable<string> | AsyncIterable<string> | ReadableStream<string>;

/** Text chunks of a Blob/File, decoded as UTF-8 as they stream (the worker passes the File straight in). */
export function blobTextChunks(blob: Blob): ReadableStream<string> {
  return blob.stream().pipeThrough(new TextDecoderStream('utf-8'));
}

/** Yields the chunks of any TextSource; ReadableStreams are read with a reader (not every browser iterates them). */
export async function* textChunks(source: TextSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield source;
    return;
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<string>) yield chunk;
}
