// The capability ceiling scored by hand-worked cases: zero- vs few-shot exact match, shots that are eval items left out, unanswered items counted wrong.
import { describe, expect, it } from 'vitest';
import { WebLlmOutputError, DeviceLostError } from '../../errors';
import type { EvalSuite } from '../../eval/types';
import { tinyWorldSuite } from '../../eval/tiny-world-suite';
import { tinyWorldShots } from '../../eval/few-shot';
import type { SkillName } from '../../world';
import type { Teacher, TeacherCompletion } from '../port';
import { answerOf, ceilingPrompt, scoreCeiling } from './ceiling';

const producer = { engine: 'web-llm' as const, model: 'stand-in', sampling: { temperature: 0, maxNewTokens: 24 }, seed: 0 };

/** A teacher that answers from a function of the prompt it is sent. */
function teacherOf(answer: (prompt: string) => string | Error): Teacher & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    id: producer,
    prompts,
    async generate(ps: readonly string[]): Promise<TeacherCompletion[]> {
      return ps.map((prompt) => {
        prompts.push(prompt);
        const a = answer(prompt);
        if (a instanceof Error) throw a;
        return { prompt, completion: a, finishReason: 'stop', producer };
      });
    },
  };
}

const suite: EvalSuite = {
  name: 'hand',
  probes: [
    { name: 'X', metric: 'exact_match', stop: '\n', items: [{ prompt: 'a=', target: '1' }, { prompt: 'b=', target: '2' }, { prompt: 'c=', target: '3' }, { prompt: 'd=', target: '4' }] },
    { name: 'ticket', metric: 'multiple_choice', items: [{ prompt: 'q', choices: ['x', 'y'], answer: 0 }] },
  ],
};
const shots = [{ prompt: 'a=', completion: '1\n' }];
const truth: Record<string, string> = { 'a=': '1', 'b=': '2', 'c=': '3', 'd=': '4' };

describe('scoreCeiling', () => {
  it('zero-shot 1 of 4, few-shot 3 of 3 (the shot\'s own item left out); other metrics skipped', async () => {
    // Zero-shot it always says "1"; with the example it answers right, echoing the line first ("b=2").
    const teacher = teacherOf((p) => {
      const line = p.split('\n').pop()!;
      return p.startsWith('Solved examples') ? `${line}${truth[line]}` : '1';
    });
    const progress: number[] = [];
    const result = await scoreCeiling(teacher, suite, () => shots, { onProgress: (d, t) => progress.push(d / t) });
    expect(result).toMatchObject({ model: 'stand-in', shots: 1, itemsPerSkill: 4 });
    expect(result.probes).toHaveLength(1);
    const [x] = result.probes;
    expect([x.zeroShot.value, x.zeroShot.n, x.fewShot.value, x.fewShot.n, x.droppedForShots, x.unanswered]).toEqual([0.25, 4, 1, 3, 1, 0]);
    expect(x.zeroShot.ci[0]).toBeLessThanOrEqual(0.25);
    expect(x.zeroShot.ci[1]).toBeGreaterThanOrEqual(0.25);
    expect(teacher.prompts).toHaveLength(7);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('an unanswered item counts wrong and is counted; a lost device ends the evaluation', async () => {
    const silent = teacherOf((p) => (p.endsWith('b=') ? new WebLlmOutputError('nothing') : (truth[p.split('\n').pop()!] ?? '')));
    const [x] = (await scoreCeiling(silent, suite, () => [])).probes;
    expect([x.zeroShot.value, x.fewShot.value, x.unanswered]).toEqual([0.75, 0.75, 2]);
    const lost = teacherOf(() => new DeviceLostError('gone'));
    await expect(scoreCeiling(lost, suite, () => [])).rejects.toBeInstanceOf(DeviceLostError);
  });

  it('prompts a chat model with an instruction, the solved lines, then the line; reads its first line without the echoed prompt', () => {
    expect(ceilingPrompt('REV abc=', [])).toBe('Complete the last line. Reply with the completion only: no explanation, no repetition of the line.\n\nREV abc=');
    expect(ceilingPrompt('REV abc=', [{ prompt: 'REV xy=', completion: 'yx\n' }])).toMatch(/^Solved examples, one per line:\nREV xy=yx\n\nComplete the last line\..*\n\nREV abc=$/);
    expect(answerOf('REV abc=cba\nBecause…', 'REV abc=')).toBe('cba');
    expect(answerOf('```\ncba\n```', 'REV abc=')).toBe('cba');
    expect(answerOf('  cba  ', 'REV abc=')).toBe('cba');
  });

  it('runs on the same Tiny World items and shots the Skills table uses', async () => {
    const world = tinyWorldSuite({ perSkill: 3, extras: false, skills: ['REV'] });
    const oracle = teacherOf((p) => {
      const item = world.probes[0].items.find((i) => p.endsWith((i as { prompt: string }).prompt)) as { target: string } | undefined;
      return item ? item.target : 'x';
    });
    const result = await scoreCeiling(oracle, world, (s) => tinyWorldShots(s as SkillName));
    expect(result.probes[0].zeroShot.value).toBe(1);
    expect(result.shots).toBe(2);
  });
});
