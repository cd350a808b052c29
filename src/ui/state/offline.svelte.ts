// The service worker as the UI sees it: the offline copy is ready, a newer version waits for a reload, or why neither.
import { registerSW } from 'virtual:pwa-register';

/** How long "ready to work offline" stays up (it is said once, after the first install). */
const READY_NOTICE_MS = 12_000;

export class OfflineState {
  /** The app is precached: it loads and trains without a network from now on. */
  ready = $state(false);
  /** A newer version is installed and waits for a reload (never forced: it would interrupt a running job). */
  updateWaiting = $state(false);
  /** Why offline use could not be set up (registration refused), in words. */
  failure = $state<string | null>(null);
  private update: ((reloadPage?: boolean) => Promise<void>) | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;

  /** Registers the service worker (a no-op on the dev server, which has none). */
  start(): void {
    if (this.update) return;
    this.update = registerSW({
      immediate: true,
      onOfflineReady: () => {
        this.ready = true;
        this.readyTimer = setTimeout(() => (this.ready = false), READY_NOTICE_MS);
      },
      onNeedRefresh: () => (this.updateWaiting = true),
      onRegisterError: (error: unknown) => {
        this.failure = `This browser did not install the offline copy (${error instanceof Error ? error.message : String(error)}); TuneLab works online as usual.`;
      },
    });
  }

  dismissReady(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.ready = false;
  }

  /**
   * Activates the waiting version and reloads once it controls the page. The plugin reloads only when this page was
   * already controlled at registration; a page that installed the first version itself is reloaded here.
   */
  async reloadToUpdate(): Promise<void> {
    navigator.serviceWorker?.addEventListener('controllerchange', () => location.reload(), { once: true });
    await this.update?.(true);
  }
}
