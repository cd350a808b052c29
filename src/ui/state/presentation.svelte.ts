// Presentation mode: large type and high contrast for projectors; remembered across reloads.

const KEY = 'tunelab.presentation';

export class PresentationMode {
  on = $state(localStorage.getItem(KEY) === 'true');

  constructor() {
    $effect.root(() => {
      $effect(() => {
        document.documentElement.dataset.presentation = String(this.on);
        localStorage.setItem(KEY, String(this.on));
      });
    });
  }

  toggle(): void {
    this.on = !this.on;
  }
}
