// Must come first: repairs navigator.language before libraries read it.
import './lib/locale';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) {
  throw new Error('mockgate: #app element missing from index.html');
}

export default mount(App, { target });
