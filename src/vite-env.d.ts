// Ambient types for Vite (asset ?url imports, import.meta.env) and Svelte components.
/// <reference types="svelte" />
/// <reference types="vite/client" />
