// The Teacher and Judge port: what a bigger model offers (generate, score, judge), whoever runs it — TuneLab's engine or web-llm.
import type { SamplingOptions } from '../generate/sample';

/** Who produced a row or a verdict; carried into every generated row's and judgement's lineage. */
export interface ProducerId {
  /** 'engine': a model TuneLab's engine runs (a Tiny World base, a Hub checkpoint, a run); 'web-llm': a web-llm prebuilt model. */
  engine: 'engine' | 'web-llm';
  /** The model's name as the user sees it: a Hub repo id, a Tiny World base name, or a web-llm `model_id`. */
  model: string;
  /** Hub revision or weights hash (engine), or the web-llm model record's version; absent when unknown. */
  revision?: string;
  /** The fine-tuning run whose adapter is applied, when the producer is a run. */
  runId?: string;
  /** The run's step whose weights answered (a run's adapter changes as it trains); absent for a base. */
  runStep?: number;
  sampling: SamplingOptions & { maxNewTokens: number };
  seed: number;
  /** Where its weights come from, when the producer is not TuneLab's own model (a web-llm record's Hub URL). */
  url?: string;
  /** How each prompt was put to the model when not as is (e.g. a chat model told to complete a Tiny World line after solved examples); absent = as is. */
  promptFormat?: string;
}

export interface TeacherCompletion {
  prompt: string;
  completion: string;
  finishReason: 'stop' | 'length' | 'context';
  producer: ProducerId;
  /** Tokens generated, when the engine reports them (web-llm's usage). */
  tokens?: number;
}

/** Progress and cancellation shared by every long call of the port. */
export interface PortCallOptions {
  signal?: AbortSignal;
  /** Called after each item: done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Each prompt's position in its source, which its seed derives from (a resumed draft asks only its missing rows); default 0…n−1. */
  indices?: readonly number[];
  /** Each completion as soon as it is done (with its index in `prompts`): what came back before a failure is kept. */
  onCompletion?: (index: number, completion: TeacherCompletion) => void;
}

export interface Teacher {
  readonly id: ProducerId;
  /** One completion per prompt, in order. A prompt the teacher cannot answer (empty, too long) throws a named error naming it. */
  generate(prompts: readonly string[], options?: PortCallOptions): Promise<TeacherCompletion[]>;
  /** Sum of log p(completion | prompt) per pair, in nats; engines that cannot score (web-llm) leave it undefined. */
  score?(pairs: readonly { prompt: string; completion: string }[], options?: PortCallOptions): Promise<number[]>;
}

/** One pairwise verdict, asked twice with A and B swapped (position bias is measured, not assumed away). */
export interface PairwiseJudgement {
  /** The verdict with the answers in the given order, and with them swapped (already mapped back to A/B). */
  firstOrder: 'A' | 'B' | 'tie';
  swappedOrder: 'A' | 'B' | 'tie';
  /** Both orders agree; only then `winner` is A or B, otherwise 'tie'. */
  consistent: boolean;
  winner: 'A' | 'B' | 'tie';
  producer: ProducerId;
  /** The judge's raw answers in each order, kept for review (a verdict it could not read counts as 'tie'); absent when the judge keeps none. */
  raw?: { firstOrder: string; swappedOrder: string };
}

export interface RubricScore {
  /** On the rubric's own scale (e.g. 1–5). */
  score: number;
  /** The judge's raw output the score was parsed from, kept for review. */
  raw: string;
  producer: ProducerId;
}

export interface Judge {
  readonly id: ProducerId;
  pairwise(items: readonly { prompt: string; a: string; b: string }[], options?: PortCallOptions): Promise<PairwiseJudgement[]>;
  rubric?(items: readonly { prompt: string; answer: string }[], rubric: string, options?: PortCallOptions): Promise<RubricScore[]>;
}
