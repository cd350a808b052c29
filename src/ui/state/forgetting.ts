// Which skills a fine-tune destroyed: a measured drop whose 95% interval lies wholly below the base's (never a fixed list).

/** A measured exact-match share with its 95% interval. */
export interface MeasuredShare {
  value: number;
  ci: [number, number];
}

export interface SkillDrop {
  skill: string;
  before: MeasuredShare;
  after: MeasuredShare;
}

/** Wilson score 95% interval of `share` measured on `n` items (exact match on a small probe sample). */
export function wilsonInterval(share: number, n: number): [number, number] {
  if (n <= 0) return [0, 1];
  const z = 1.959964;
  const z2n = (z * z) / n;
  const centre = (share + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2n / (4 * n))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Skills whose score after fine-tuning fell beyond both intervals (the after-interval's top is below the base
 * interval's bottom), largest drop first. A skill that rose — the target — or moved within the noise is not listed.
 */
export function destroyedSkills(skills: SkillDrop[]): SkillDrop[] {
  return skills.filter((s) => s.after.ci[1] < s.before.ci[0]).sort((a, b) => b.before.value - b.after.value - (a.before.value - a.after.value));
}

/** Probe shares of a run's first measured point (step 0, the base) against its latest, each on `items` items per skill. */
export function probeDrops(first: Record<string, number>, latest: Record<string, number>, items: number): SkillDrop[] {
  return Object.keys(first)
    .filter((skill) => latest[skill] !== undefined)
    .map((skill) => ({
      skill,
      before: { value: first[skill], ci: wilsonInterval(first[skill], items) },
      after: { value: latest[skill], ci: wilsonInterval(latest[skill], items) },
    }));
}
