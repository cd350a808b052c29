// Ambient types for Vite (asset ?url imports, import.meta.env), Svelte components and the PWA plugin's register module.
/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/vanillajs" />
