// Mounts ModelLoader.svelte alone, so e2e can drive the component before the Models page includes it.
import { mount } from 'svelte';
import ModelLoader from '../../ui/models/ModelLoader.svelte';
import '../../ui/theme.css';

mount(ModelLoader, { target: document.getElementById('loader')! });
document.body.dataset.ready = 'true';
