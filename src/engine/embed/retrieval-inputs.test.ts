// Retrieval inputs: BEIR corpus/queries/qrels and sentence-transformers pairs parse; bad input is named; overlaps counted.
import { describe, expect, it } from 'vitest';
import { DatasetParseError } from '../errors';
import { checkRetrievalSet, overlapReport, parseCorpusJsonl, parsePairsCsv, parsePairsJsonl, parseQrelsTsv, parseQueriesJsonl } from './retrieval-inputs';

const corpus = parseCorpusJsonl('{"_id":"d1","title":"T","text":"one"}\n{"_id":"d2","text":"two"}\n');
const queries = parseQueriesJsonl('{"_id":"q1","text":"first"}\n{"_id":"q2","text":"second"}\n{"_id":"q3","text":"third"}');

describe('BEIR shapes', () => {
  it('reads corpus, queries and qrels with a header', () => {
    expect(corpus).toEqual([{ _id: 'd1', title: 'T', text: 'one' }, { _id: 'd2', text: 'two' }]);
    expect(parseQrelsTsv('query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t2\n')).toEqual([['q1', 'd1', 1], ['q2', 'd2', 2]]);
  });
  it('names the bad line', () => {
    expect(() => parseCorpusJsonl('{"_id":"d1","text":"x"}\n{"_id":"d2"}')).toThrow(/line 2/);
    expect(() => parseQrelsTsv('query-id\tcorpus-id\tscore\nq1 d1')).toThrow(/line 2/);
    expect(() => parseQueriesJsonl('{"_id":"q","text":"a"}\n{"_id":"q","text":"b"}')).toThrow(/repeated _id/);
  });
  it('drops queries without a relevant document, counted, and refuses ids that do not resolve', () => {
    const qrels = new Map([['q1', new Map([['d1', 1]])], ['q2', new Map([['d2', 0]])]]);
    const checked = checkRetrievalSet(corpus, queries, qrels);
    expect(checked.queries.map((q) => q._id)).toEqual(['q1']);
    expect(checked.dropped).toBe(2);
    expect(checked.droppedExamples).toEqual(['q2', 'q3']);
    expect(() => checkRetrievalSet(corpus, queries, new Map([['q1', new Map([['d9', 1]])], ['qx', new Map([['d1', 1]])]]))).toThrow(/1 judgement\(s\) name a document not in the corpus \(e\.g\. q1 → d9\); 1 query id\(s\) are not in the queries \(e\.g\. qx\)/);
    expect(() => checkRetrievalSet(corpus, queries, new Map([['q1', new Map([['d1', 0]])]]))).toThrow(DatasetParseError);
  });
});

describe('pairs', () => {
  it('reads {anchor, positive} and {query, positive, negative}', () => {
    expect(parsePairsJsonl('{"anchor":"a","positive":"b"}')).toEqual([{ anchor: 'a', positive: 'b' }]);
    expect(parsePairsJsonl('{"query":"a","positive":"b","negative":"c"}')).toEqual([{ anchor: 'a', positive: 'b', negative: 'c' }]);
  });
  it('names the row with an empty side', () => {
    expect(() => parsePairsJsonl('{"anchor":"a","positive":"b"}\n{"anchor":" ","positive":"b"}')).toThrow(/Pair on line 2 has an empty "anchor"/);
    expect(() => parsePairsCsv('q,doc\nx,y\nz,\n', { anchor: 'q', positive: 'doc' })).toThrow(/Pair on row 3 has an empty "doc"/);
  });
  it('reads a CSV through a column mapping (quoted commas kept)', () => {
    expect(parsePairsCsv('question,answer,bad\n"hi, there",yes,no\n', { anchor: 'question', positive: 'answer', negative: 'bad' })).toEqual([{ anchor: 'hi, there', positive: 'yes', negative: 'no' }]);
    expect(() => parsePairsCsv('a,b\n1,2\n', { anchor: 'a', positive: 'c' })).toThrow(/no column "c"/);
  });
  it('reports duplicates and leaks with counts and examples', () => {
    const pairs = [
      { anchor: 'First', positive: 'one' },
      { anchor: 'first ', positive: 'ONE' },
      { anchor: 'two', positive: 'x' },
      { anchor: 'zzz', positive: 'y' },
    ];
    const r = overlapReport(pairs, queries, corpus);
    expect(r.duplicatePairs).toEqual({ count: 1, examples: ['first '] });
    expect(r.anchorsInQueries).toEqual({ count: 2, examples: ['First', 'first '] });
    expect(r.anchorsInCorpus).toEqual({ count: 1, examples: ['two'] });
  });
});
