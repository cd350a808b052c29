// Harness for e2e/hub-load.spec.ts: loads checkpoints through the real GPU worker job, recording progress events.
import { gpuWorker } from '../../ui/worker-client';
import { startJob } from '../../ui/job-client';
import { browserModelCache } from '../../storage/model-cache';
import type { LoadModelProgress, LoadModelSummary } from '../../contract';
import * as Comlink from 'comlink';

const progress: LoadModelProgress[] = [];
const log = document.getElementById('log') as HTMLElement;

const harness = {
  progress,
  async init() {
    return gpuWorker().init();
  },
  async load(repo: string, revision = 'main'): Promise<LoadModelSummary> {
    const endpoint = `${location.origin}/hub`;
    const job = startJob((api, id) =>
      api.loadModel(id, { kind: 'hub', repo, revision, endpoint }, Comlink.proxy((p: LoadModelProgress) => {
        progress.push(p);
        log.textContent += `${p.file} ${p.loaded}/${p.total ?? '?'} cache=${p.fromCache} resumes=${p.resumes}\n`;
      })),
    );
    return job.result;
  },
  /** Fetches adapter files from the fixture server and imports them onto the loaded model; errors come back as {name, message}. */
  async importAdapter(folder: string) {
    const files = await Promise.all(
      ['adapter_config.json', 'adapter_model.safetensors'].map(async (name) => new File([await (await fetch(`${location.origin}/hub/adapters/${folder}/resolve/main/${name}`)).arrayBuffer()], name)),
    );
    try {
      return await startJob((api, id) => api.importAdapter(id, files)).result;
    } catch (e) {
      return { error: (e as Error).name, message: (e as Error).message };
    }
  },
  async nextToken(text: string) {
    return gpuWorker().nextToken(text);
  },
  async cached() {
    return (await browserModelCache()?.list()) ?? [];
  },
};

(window as unknown as { hubHarness: typeof harness }).hubHarness = harness;
document.body.dataset.ready = 'true';
