// Entry point: mounts the Svelte app.
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/theme.css';
import { installDebugHooks } from './ui/debug-hooks';

installDebugHooks();
mount(App, { target: document.getElementById('app')! });
