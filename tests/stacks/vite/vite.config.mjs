// The Vite rig's dev server (tests/e2e/stacks/vite_proxy.rs fills the markers): it serves the
// CORS Doctor page (a copy of dist/ as its public directory) under /some/sub-path/, as a Vite app
// does in development, and the fix's proxy forwards the API's path to the API.
export default {
  root: 'site',
  publicDir: '../public',
  base: '/some/sub-path/',
  cacheDir: '.vite',
  clearScreen: false,
  @@settings@@
};
