// Score names a Distillation cell stores beside its target skill's exact match.

export const TEACHER_KEY = 'teacher accuracy';
/** On items the teacher got wrong: the share where the student gave the teacher's wrong answer. */
export const REPEATS_KEY = 'repeats teacher error';
/** On items the teacher got right: the share where the student gave the answer the teacher gives when it errs (the chance level). */
export const CHANCE_KEY = 'teacher error by chance';
